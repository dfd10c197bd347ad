package io.switchboard.push.webhooks.cards;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.platform.membership.MembershipView;
import io.switchboard.push.webhooks.WebhookEvent;
import io.switchboard.push.webhooks.WebhookEventType;
import io.switchboard.push.webhooks.delivery.EventRecorder;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * A user clicked a card's callback button (the push frame
 * {@code {"type":"card.action","conversationId","seq","actionId"}}): if the user is a member of the
 * conversation and the card has that callback button, the click becomes a {@code card.action}
 * delivery to the app's endpoints that subscribe to it, and the client is told
 * {@code card.action.accepted} with the click's id; otherwise an {@code error} frame says why.
 * Clicks are limited per user and per app ({@link CardActionLimits}) before anything is looked up:
 * one over the limit is refused with {@code card-action-rate-limited} and {@code retryAfterMs},
 * and no delivery is made.
 */
@Component
public class CardActions {

    private final MembershipView membership;
    private final CardStore cards;
    private final EventRecorder recorder;
    private final JsonMapper json;
    private final MeterRegistry meters;
    private final CardActionLimits limits;

    CardActions(MembershipView membership, CardStore cards, EventRecorder recorder, JsonMapper json, MeterRegistry meters,
                CardActionLimits limits) {
        this.membership = membership;
        this.cards = cards;
        this.recorder = recorder;
        this.json = json;
        this.meters = meters;
        this.limits = limits;
    }

    /** Handles a click of a user's session; returns the frame to answer with. */
    public String click(String appId, String userId, String deviceId, JsonNode frame) {
        String conversationId = frame.path("conversationId").asString(null);
        String actionId = frame.path("actionId").asString(null);
        JsonNode seq = frame.path("seq");
        if (conversationId == null || actionId == null || !seq.canConvertToLong()) {
            return refusal("card-action-invalid", "A card.action frame names conversationId, seq and actionId");
        }
        OptionalLong retryAfterMs = limits.tryClick(appId, userId);
        if (retryAfterMs.isPresent()) {
            return refusal("card-action-rate-limited", "Too many card clicks; retry after " + retryAfterMs.getAsLong() + " ms",
                    Map.of("retryAfterMs", retryAfterMs.getAsLong()));
        }
        if (!membership.isMember(appId, conversationId, userId)) {
            return refusal("not-a-member", "Only members of the conversation can act on its cards");
        }
        Optional<CardStore.ClickableCard> card = cards.find(appId, conversationId, seq.asLong());
        Optional<CardStore.Button> button = card.flatMap(c -> c.button(actionId));
        if (button.isEmpty()) {
            return refusal("card-action-unknown", "No callback button " + actionId + " on message " + seq.asLong());
        }
        String clickId = UUID.randomUUID().toString();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("clickId", clickId);
        data.put("conversationId", conversationId);
        data.put("seq", seq.asLong());
        data.put("messageId", card.get().messageId());
        data.put("messageVersion", card.get().version());
        data.put("actionId", actionId);
        data.put("callbackId", button.get().callbackId());
        data.put("userId", userId);
        data.put("deviceId", deviceId);
        int recorded = recorder.record(java.util.List.of(WebhookEvent.of("card.action:" + clickId, appId,
                WebhookEventType.CARD_ACTION, now, data)));
        if (recorded == 0) {
            return refusal("card-action-unavailable", "The app does not receive card actions");
        }
        meters.counter("switchboard.webhooks.card.actions").increment();
        Map<String, Object> accepted = new LinkedHashMap<>();
        accepted.put("type", "card.action.accepted");
        accepted.put("clickId", clickId);
        accepted.put("conversationId", conversationId);
        accepted.put("seq", seq.asLong());
        accepted.put("actionId", actionId);
        return json.writeValueAsString(accepted);
    }

    private String refusal(String code, String detail) {
        return refusal(code, detail, Map.of());
    }

    private String refusal(String code, String detail, Map<String, Object> more) {
        meters.counter("switchboard.webhooks.card.actions.refused", "code", code).increment();
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", "error");
        frame.put("code", code);
        frame.put("detail", detail);
        frame.putAll(more);
        return json.writeValueAsString(frame);
    }
}
