package io.switchboard.message.messages;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.events.chat.CardUpdateRequest;
import io.switchboard.platform.kafka.UnprocessableRecordException;
import io.switchboard.platform.problems.ApiException;
import io.switchboard.platform.problems.ErrorCode;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import java.util.Set;
import java.util.stream.Collectors;

/**
 * Applies {@code chat.card.updates}: an app answered a click on a card's callback button with a
 * new card (push-service relays the answer of its webhook), and the card message is edited with the
 * app's authority ({@link MessageChanges#replaceCardAsApp}). A request for a message that changed
 * since the click changes nothing; one that names no message or carries an invalid card goes to
 * {@code chat.card.updates.dlt} ({@code message-not-found}, {@code invalid-card}).
 */
@Component
class CardUpdatesListener {

    private final MessageChanges changes;
    private final Validator validator;
    private final MeterRegistry meters;

    CardUpdatesListener(MessageChanges changes, Validator validator, MeterRegistry meters) {
        this.changes = changes;
        this.validator = validator;
        this.meters = meters;
    }

    // the group named, not left to the listener id: the deployment's Kafka ACLs grant exactly the groups named in code
    @KafkaListener(id = "card-updates", groupId = "message-service-card-updates",
            topics = "#{T(io.switchboard.schemas.Topics).CHAT_CARD_UPDATES.name()}")
    void onCardUpdate(CardUpdateRequest request) {
        if (request == null) {
            throw new UnprocessableRecordException("missing-value", "The record has no value");
        }
        Content card = content(request);
        try {
            boolean changed = changes.replaceCardAsApp(request.getAppId(), request.getConversationId(), request.getSeq(),
                    request.getBasedOnVersion(), card).isPresent();
            meters.counter("switchboard.messages.card.updates", "outcome", changed ? "replaced" : "stale").increment();
        } catch (ApiException e) {
            String reason = e.errorCode() == ErrorCode.MESSAGE_NOT_FOUND ? "message-not-found" : "invalid-card";
            throw new UnprocessableRecordException(reason, e.getMessage());
        }
    }

    private Content content(CardUpdateRequest request) {
        io.switchboard.events.chat.Card avro = request.getCard();
        Content.Card card = new Content.Card(avro.getTitle(),
                avro.getFields().stream().map(f -> new Content.Field(f.getLabel(), f.getValue())).toList(),
                avro.getActions().stream().map(a -> new Content.Action(a.getId(), a.getLabel(), a.getUrl(), a.getCallbackId()))
                        .toList());
        Set<ConstraintViolation<Content.Card>> violations = validator.validate(card);
        if (!violations.isEmpty()) {
            throw new UnprocessableRecordException("invalid-card", violations.stream()
                    .map(v -> v.getPropertyPath() + " " + v.getMessage()).sorted().collect(Collectors.joining("; ")));
        }
        return new Content(Content.ContentType.CARD, request.getText(), card, null, null, false);
    }
}
