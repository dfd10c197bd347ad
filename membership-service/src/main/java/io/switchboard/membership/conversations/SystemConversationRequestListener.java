package io.switchboard.membership.conversations;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.events.membership.SystemConversationRequest;
import io.switchboard.membership.Ids;
import io.switchboard.platform.kafka.UnprocessableRecordException;
import io.switchboard.platform.problems.ApiException;
import io.switchboard.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import java.util.regex.Pattern;

/**
 * Gives users their system conversation per source when message-service routing asks on
 * {@code membership.requests}. Applying a request is idempotent (the conversation's id is derived
 * from user and source), so redelivery and repeated requests change and publish nothing. A request
 * that cannot be read or is invalid ({@code malformed-record}, {@code validation-failed}), or names
 * an unknown or deactivated user ({@code unknown-user}, {@code inactive-user}), goes to
 * {@code membership.requests.dlt} with that reason; a database outage is retried (see DeadLetters).
 */
@Component
class SystemConversationRequestListener {

    private static final Pattern ID = Pattern.compile(Ids.PATTERN);

    private final Conversations conversations;
    private final MeterRegistry meters;

    SystemConversationRequestListener(Conversations conversations, MeterRegistry meters) {
        this.conversations = conversations;
        this.meters = meters;
    }

    @KafkaListener(id = "membership-requests", topics = "#{T(io.switchboard.schemas.Topics).MEMBERSHIP_REQUESTS.name()}",
            groupId = "membership-requests")
    void onRequest(ConsumerRecord<String, SystemConversationRequest> record) {
        SystemConversationRequest request = validated(record);
        Conversations.Outcome outcome;
        try {
            outcome = conversations.openSystemConversation(request.getAppId(), request.getUserId(), request.getSource());
        } catch (ApiException e) {
            throw switch (e.errorCode()) {
                case USER_NOT_FOUND -> new UnprocessableRecordException("unknown-user", e.getMessage());
                case USER_DEACTIVATED -> new UnprocessableRecordException("inactive-user", e.getMessage());
                default -> e;
            };
        }
        meters.counter("switchboard.system.conversations", "outcome", outcome.created() ? "created" : "existing")
                .increment();
    }

    private static SystemConversationRequest validated(ConsumerRecord<String, SystemConversationRequest> record) {
        SystemConversationRequest request = record.value();
        if (request == null) {
            throw new UnprocessableRecordException("malformed-record", "A request needs a value, not a tombstone");
        }
        if (request.getAppId().isBlank() || !ID.matcher(request.getUserId()).matches()
                || !ID.matcher(request.getSource()).matches()) {
            throw new UnprocessableRecordException("validation-failed",
                    "Invalid app, user or source in request " + record.key());
        }
        if (!Topics.userKey(request.getAppId(), request.getUserId()).equals(record.key())) {
            throw new UnprocessableRecordException("validation-failed",
                    "Request key " + record.key() + " is not <appId>/<userId> of its value");
        }
        return request;
    }
}
