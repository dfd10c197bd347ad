package io.switchboard.push.webhooks.cards;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.events.chat.Card;
import io.switchboard.events.chat.CardAction;
import io.switchboard.events.chat.CardField;
import io.switchboard.events.chat.CardUpdateRequest;
import io.switchboard.push.webhooks.WebhookEventType;
import io.switchboard.push.webhooks.delivery.DeliveryResponses;
import io.switchboard.schemas.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An app's 2xx answer to a {@code card.action} delivery may replace the clicked card: a body
 * {@code {"card": {"title", "fields": [{"label", "value"}], "actions": [{"id", "label", "url" | "callbackId"}]},
 * "text": "<fallback, optional>"}} is relayed on {@code chat.card.updates}, and message-service edits
 * the message with the app's authority if it is still at the clicked version (every client then
 * gets {@code message.edited}). Any other answer (empty, other JSON) changes nothing.
 *
 * <p>Why a topic and not a synchronous call to message-service's edit API: push-service holds no
 * credential of the app to call it with, and message-service owns the message log - the request
 * carries the app's authority as the answer of the endpoint the app registered with its token, the
 * same trust as the delivery itself. A message-service outage then delays the card update, never
 * the webhook. An answer whose card does not have that shape, or that cannot be relayed because
 * Kafka does not take it within 10 s, is dropped and counted ({@code switchboard_webhooks_card_updates_total{outcome}});
 * message-service dead-letters a card it refuses ({@code invalid-card}).
 */
@Component
class CardUpdates implements DeliveryResponses {

    private static final Logger log = LoggerFactory.getLogger(CardUpdates.class);

    private final KafkaTemplate<String, Object> kafka;
    private final JsonMapper json;
    private final MeterRegistry meters;

    CardUpdates(KafkaTemplate<String, Object> kafka, JsonMapper json, MeterRegistry meters) {
        this.kafka = kafka;
        this.json = json;
        this.meters = meters;
    }

    @Override
    public boolean handles(String eventType) {
        return WebhookEventType.CARD_ACTION.wireName().equals(eventType);
    }

    @Override
    public void answered(String appId, String endpointId, byte[] eventBody, byte[] responseBody) {
        JsonNode answer;
        try {
            answer = json.readTree(responseBody);
        } catch (JacksonException e) {
            return;   // not JSON: an acknowledgement without an update
        }
        if (answer == null || !answer.isObject() || !answer.has("card")) {
            return;
        }
        JsonNode click = json.readTree(eventBody).get("data");
        Card card;
        try {
            card = card(answer.get("card"));
        } catch (IllegalArgumentException e) {
            count("invalid");
            log.info("App {} answered card action {} with an unusable card: {}", appId, click.path("clickId").asString(),
                    e.getMessage());
            return;
        }
        String conversationId = click.get("conversationId").asString();
        CardUpdateRequest request = CardUpdateRequest.newBuilder()
                .setRequestId(click.get("clickId").asString())
                .setAppId(appId)
                .setConversationId(conversationId)
                .setSeq(click.get("seq").asLong())
                .setMessageId(click.get("messageId").asString())
                .setBasedOnVersion(click.get("messageVersion").asInt())
                .setCard(card)
                .setText(answer.path("text").isString() ? answer.get("text").asString() : null)
                .setRequestedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .build();
        try {
            kafka.send(Topics.CHAT_CARD_UPDATES.name(), Topics.conversationKey(appId, conversationId), request)
                    .get(10, TimeUnit.SECONDS);
            count("relayed");
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            count("not-relayed");
            log.warn("Could not relay app {}'s card update for click {}: {}", appId, request.getRequestId(), e.toString());
        }
    }

    private static Card card(JsonNode card) {
        if (!card.isObject() || !card.path("title").isString()) {
            throw new IllegalArgumentException("a card needs a title");
        }
        List<CardField> fields = new ArrayList<>();
        for (JsonNode field : array(card.path("fields"), "fields")) {
            fields.add(CardField.newBuilder().setLabel(text(field, "label")).setValue(text(field, "value")).build());
        }
        List<CardAction> actions = new ArrayList<>();
        for (JsonNode action : array(card.path("actions"), "actions")) {
            actions.add(CardAction.newBuilder().setId(text(action, "id")).setLabel(text(action, "label"))
                    .setUrl(action.path("url").isString() ? action.get("url").asString() : null)
                    .setCallbackId(action.path("callbackId").isString() ? action.get("callbackId").asString() : null)
                    .build());
        }
        return Card.newBuilder().setTitle(card.get("title").asString()).setFields(fields).setActions(actions).build();
    }

    private static Iterable<JsonNode> array(JsonNode node, String name) {
        if (node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException(name + " must be an array");
        }
        return node;
    }

    private static String text(JsonNode node, String field) {
        if (!node.path(field).isString()) {
            throw new IllegalArgumentException("each entry needs a string " + field);
        }
        return node.get(field).asString();
    }

    private void count(String outcome) {
        meters.counter("switchboard.webhooks.card.updates", "outcome", outcome).increment();
    }
}
