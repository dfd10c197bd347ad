package io.switchboard.push.webhooks.cards;

import io.switchboard.events.chat.Card;
import io.switchboard.events.chat.CardAction;
import io.switchboard.events.chat.ChatMessage;
import io.switchboard.events.chat.ChatMessageEvent;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The clickable cards ({@code webhook_cards}): every message whose card has at least one callback
 * button, as of its latest version, until it is recalled or deleted.
 */
@Repository
public class CardStore {

    private final JdbcClient jdbc;
    private final JsonMapper json;

    CardStore(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** A callback button. */
    public record Button(String id, String label, String callbackId) {
    }

    /** A clickable card of a message. */
    public record ClickableCard(String appId, String conversationId, long seq, String messageId, int version,
                                String title, List<Button> buttons) {
        Optional<Button> button(String actionId) {
            return buttons.stream().filter(b -> b.id().equals(actionId)).findFirst();
        }
    }

    /** Keeps the card of a created or edited message (if it has callback buttons) or forgets it. */
    public void apply(ChatMessageEvent event) {
        ChatMessage message = event.getMessage();
        if (message == null) {
            return;
        }
        switch (event.getType()) {
            case MESSAGE_CREATED, MESSAGE_EDITED -> {
                List<Button> buttons = message.getCard() == null ? List.of() : buttons(message.getCard());
                if (buttons.isEmpty()) {
                    delete(event, message.getVersion());
                } else {
                    upsert(event, message, buttons);
                }
            }
            case MESSAGE_RECALLED, MESSAGE_DELETED -> delete(event, message.getVersion());
            default -> {
            }
        }
    }

    Optional<ClickableCard> find(String appId, String conversationId, long seq) {
        return jdbc.sql("SELECT app_id, conversation_id, seq, message_id, version, title, actions FROM webhook_cards "
                        + "WHERE app_id = ? AND conversation_id = ? AND seq = ?")
                .params(appId, conversationId, seq)
                .query((rs, row) -> new ClickableCard(rs.getString("app_id"), rs.getString("conversation_id"),
                        rs.getLong("seq"), rs.getString("message_id"), rs.getInt("version"), rs.getString("title"),
                        json.readValue(rs.getString("actions"), new TypeReference<List<Button>>() { })))
                .optional();
    }

    /** Replaces an older version (delete, then insert unless a newer one is there). */
    private void upsert(ChatMessageEvent event, ChatMessage message, List<Button> buttons) {
        delete(event, message.getVersion());
        jdbc.sql("INSERT INTO webhook_cards (app_id, conversation_id, seq, message_id, version, title, actions, updated_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")
                .params(event.getAppId(), event.getConversationId(), event.getSeq(), message.getMessageId(),
                        message.getVersion(), message.getCard().getTitle(), json.writeValueAsString(buttons),
                        Timestamp.from(Instant.now()))
                .update();
    }

    private void delete(ChatMessageEvent event, int version) {
        jdbc.sql("DELETE FROM webhook_cards WHERE app_id = ? AND conversation_id = ? AND seq = ? AND version <= ?")
                .params(event.getAppId(), event.getConversationId(), event.getSeq(), version).update();
    }

    private static List<Button> buttons(Card card) {
        return card.getActions().stream().filter(a -> a.getCallbackId() != null)
                .map((CardAction a) -> new Button(a.getId(), a.getLabel(), a.getCallbackId())).toList();
    }
}
