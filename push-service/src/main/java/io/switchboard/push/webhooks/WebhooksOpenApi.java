package io.switchboard.push.webhooks;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.BooleanSchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.switchboard.schemas.webhooks.WebhookSignature;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;

/**
 * Documents what push-service sends to apps' endpoints, as the OpenAPI 3.1 {@code webhooks}: one
 * entry per event type, with the signature headers and the body ({@code id, type, appId,
 * occurredAt, data}) and each type's {@code data}.
 */
@Component
class WebhooksOpenApi implements OpenApiCustomizer {

    private record Field(String name, Schema<?> schema) {
        static Field string(String name, String description) {
            return new Field(name, new StringSchema().description(description));
        }

        static Field integer(String name, String description) {
            return new Field(name, new IntegerSchema().format("int64").description(description));
        }

        static Field bool(String name, String description) {
            return new Field(name, new BooleanSchema().description(description));
        }

        static Field object(String name, String description) {
            return new Field(name, new ObjectSchema().description(description));
        }
    }

    private static final List<Field> MESSAGE = List.of(
            Field.string("conversationId", "The conversation (the endpoint's bot user is a member)"),
            Field.integer("seq", "The message's position in the conversation"),
            Field.integer("changeSeq", "Position of this change among the conversation's changes"),
            Field.string("actorId", "Who edited or recalled it; null for message.created"),
            Field.object("message", "The message after the change: messageId, senderId, senderType, contentType, text, "
                    + "card, custom, replyToSeq, threadRootSeq, mentions, mentionAll, version, status, createdAt, updatedAt"));

    private static final List<Field> NOTIFICATION = List.of(
            Field.string("conversationId", "The conversation the notification was posted in"),
            Field.integer("seq", "Its seq"),
            Field.string("messageId", "Its message id"),
            Field.string("userId", "The recipient"),
            Field.object("origin", "The business event it was routed from: eventId, source, eventType, routeId"));

    private static final Map<WebhookEventType, List<Field>> DATA = Map.of(
            WebhookEventType.MESSAGE_CREATED, MESSAGE,
            WebhookEventType.MESSAGE_EDITED, MESSAGE,
            WebhookEventType.MESSAGE_RECALLED, MESSAGE,
            WebhookEventType.CARD_ACTION, List.of(
                    Field.string("clickId", "Unique per click; the clicking client was told it"),
                    Field.string("conversationId", "Where the card is"),
                    Field.integer("seq", "The card message's seq"),
                    Field.string("messageId", "The card message's id"),
                    Field.integer("messageVersion", "The card message's version when clicked"),
                    Field.string("actionId", "The button's id"),
                    Field.string("callbackId", "The button's callbackId, as the app set it"),
                    Field.string("userId", "Who clicked"),
                    Field.string("deviceId", "The device they clicked on, if their token names one")),
            WebhookEventType.MEMBERSHIP_CHANGED, List.of(
                    Field.string("conversationId", "The conversation"),
                    Field.string("userId", "The member"),
                    Field.string("change", "What changed: joined, left (left or removed), role-changed, muted, unmuted, or "
                            + "updated (the mute exemption, several at once, or nothing); null for a change published "
                            + "before membership-service said what it was"),
                    Field.bool("isMember", "false once the user left or was removed"),
                    Field.string("role", "OWNER, ADMIN or MEMBER; null once removed"),
                    Field.string("mutedUntil", "The member may not post before this time; null when not muted"),
                    Field.string("joinedAt", "When the user joined; null once removed"),
                    Field.integer("conversationVersion", "The conversation's version after the change (orders changes)")),
            WebhookEventType.PRESENCE_CHANGED, List.of(
                    Field.string("userId", "The user"),
                    Field.bool("online", "Whether at least one device of the user is connected"),
                    Field.integer("devices", "How many devices are connected")),
            WebhookEventType.NOTIFICATION_DELIVERED, concat(NOTIFICATION,
                    Field.integer("devices", "Live sessions (devices) of the recipient it was handed to, on one gateway")),
            WebhookEventType.NOTIFICATION_FAILED, concat(NOTIFICATION,
                    Field.string("reason", "offline (no session at fanout: it waits in history) or connection-lost")),
            WebhookEventType.ENDPOINT_DISABLED, List.of(
                    Field.string("endpointId", "The endpoint that was disabled (another one of the app's)"),
                    Field.string("reason", "failing"),
                    Field.string("failingFor", "How long all its attempts had failed (ISO-8601 duration)"),
                    Field.integer("deadLettered", "Pending deliveries that became failed (replayable once it is enabled)")),
            WebhookEventType.PING, List.of(
                    Field.string("endpointId", "The endpoint the app pinged")));

    @Override
    public void customise(OpenAPI openApi) {
        for (WebhookEventType type : WebhookEventType.values()) {
            openApi.addWebhooks(type.wireName(), new PathItem().post(delivery(type)));
        }
    }

    private static Operation delivery(WebhookEventType type) {
        ObjectSchema data = new ObjectSchema();
        DATA.getOrDefault(type, List.of()).forEach(field -> data.addProperty(field.name(), field.schema()));
        Schema<?> body = new ObjectSchema()
                .addProperty("id", new StringSchema().description("The event's id (the same for every endpoint)"))
                .addProperty("type", new StringSchema()._enum(List.of(type.wireName())))
                .addProperty("appId", new StringSchema())
                .addProperty("occurredAt", new StringSchema().format("date-time"))
                .addProperty("data", data);
        Operation operation = new Operation()
                .summary(type.wireName())
                .description("Signed POST to the app's endpoint (Standard Webhooks): verify " + WebhookSignature.SIGNATURE_HEADER
                        + " (base64 HMAC-SHA256 over webhook-id + '.' + webhook-timestamp + '.' + raw body, keyed with the "
                        + "secret's bytes; one v1,<signature> per secret in effect, separated by spaces) with any Standard "
                        + "Webhooks library, and refuse timestamps older than 5 minutes. Answer 2xx within the request "
                        + "timeout; anything else is retried with backoff, the same webhook-id and the next attempt number.")
                .requestBody(new RequestBody().required(true).content(new Content()
                        .addMediaType("application/json", new MediaType().schema(body))))
                .responses(new ApiResponses()
                        .addApiResponse("2XX", new ApiResponse().description("Received (a card.action answer may carry a card update)"))
                        .addApiResponse("default", new ApiResponse().description("Not received: retried")));
        header(operation, WebhookSignature.ID_HEADER, "The delivery's id, the same on every attempt: deduplicate on it");
        header(operation, WebhookSignature.TIMESTAMP_HEADER, "When this attempt was signed, Unix seconds");
        header(operation, WebhookSignature.SIGNATURE_HEADER, "v1,<base64>[ v1,<base64>]");
        header(operation, WebhookSignature.ATTEMPT_HEADER, "1 for the first attempt, then 2, 3, ... (not signed)");
        header(operation, WebhookSignature.EVENT_TYPE_HEADER, "The event type (not signed; the signed body names it too)");
        return operation;
    }

    private static void header(Operation operation, String name, String description) {
        operation.addParametersItem(new HeaderParameter().name(name).required(true).description(description)
                .schema(new StringSchema()));
    }

    private static List<Field> concat(List<Field> fields, Field extra) {
        return java.util.stream.Stream.concat(fields.stream(), java.util.stream.Stream.of(extra)).toList();
    }
}
