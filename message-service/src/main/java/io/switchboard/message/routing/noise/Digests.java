package io.switchboard.message.routing.noise;

import com.samskivert.mustache.Template;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.message.crypto.MessageKeys;
import io.switchboard.message.messages.Content;
import io.switchboard.message.messages.Message;
import io.switchboard.message.messages.Messages;
import io.switchboard.events.membership.UserState;
import io.switchboard.message.routing.rules.CompiledRule;
import io.switchboard.message.routing.rules.LocaleFormats;
import io.switchboard.message.routing.rules.RenderBudget;
import io.switchboard.message.routing.rules.Templates;
import io.switchboard.platform.directory.UsersView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Digests: notifications collected per rule, recipient and key while a window runs (from the first
 * one), then sent as one summary. Items are written in the routing transaction of their event and
 * sealed with the app's message key (they hold event data); a digest is sent and its items deleted
 * in one transaction, so nothing is summarized twice or lost, on any number of instances
 * ({@code SKIP LOCKED}).
 */
@Component
public class Digests {

    private static final Logger log = LoggerFactory.getLogger(Digests.class);
    /** A summary lists at most this many notifications; {@code count} still says how many there were. */
    static final int MAX_LISTED = 50;
    private static final TypeReference<Map<String, Object>> ITEM = new TypeReference<>() {
    };

    /** A recipient that is one user ({@code user:<id>}) rather than a conversation. */
    private static final String USER_RECIPIENT = "user:";

    private final JdbcClient jdbc;
    private final MessageKeys keys;
    private final JsonMapper json;
    private final Messages messages;
    private final TransactionTemplate transactions;
    private final MeterRegistry meters;
    private final UsersView users;

    Digests(JdbcClient jdbc, MessageKeys keys, JsonMapper json, Messages messages, TransactionTemplate transactions,
            MeterRegistry meters, UsersView users) {
        this.jdbc = jdbc;
        this.keys = keys;
        this.json = json;
        this.messages = messages;
        this.transactions = transactions;
        this.meters = meters;
        this.users = users;
    }

    /**
     * One notification to collect.
     *
     * @param recipient       {@code user:<id>} or {@code conversation:<id>}
     * @param summaryTemplate the Mustache text the digest renders with
     * @param item            the event's template context and the notification's {@code text}
     * @param occurredAt      when the event happened: a digest lists its events in that order
     */
    public record Item(String appId, String ruleId, String recipient, String key, String eventId, String conversationId,
                       String source, String eventType, String summaryTemplate, Map<String, Object> item,
                       Instant occurredAt) {
        public Item {
            key = Keys.bounded(key);
        }
    }

    private record Bucket(String appId, String ruleId, String recipient, String key) {
    }

    private record Stored(String eventId, String conversationId, String source, String eventType, String summaryTemplate,
                          byte[] item, Instant createdAt) {
    }

    /** Collects an item; joins the routing transaction. The digest is due one window after its first item. */
    public void collect(Item item, Duration window, Instant now) {
        Instant due = jdbc.sql("""
                        SELECT MIN(due_at) FROM routing_digest_items
                        WHERE app_id = ? AND rule_id = ? AND recipient = ? AND digest_key = ?""")
                .params(item.appId(), item.ruleId(), item.recipient(), item.key())
                .query((rs, n) -> rs.getObject(1, OffsetDateTime.class)).optional()
                .map(OffsetDateTime::toInstant).orElse(now.plus(window));
        jdbc.sql("""
                        INSERT INTO routing_digest_items (app_id, rule_id, recipient, digest_key, event_id, conversation_id,
                          source, event_type, summary_template, item, due_at, created_at, occurred_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""")
                .params(item.appId(), item.ruleId(), item.recipient(), item.key(), item.eventId(), item.conversationId(),
                        item.source(), item.eventType(), item.summaryTemplate(),
                        keys.encrypt(item.appId(), json.writeValueAsBytes(item.item()),
                                aad(item.ruleId(), item.recipient(), item.eventId())),
                        utc(due), utc(now), utc(item.occurredAt()))
                .update();
    }

    /** Sends the digests that are due; returns how many were sent. */
    public int sendDue(Instant now, int limit) {
        List<Bucket> due = jdbc.sql("""
                        SELECT app_id, rule_id, recipient, digest_key FROM routing_digest_items
                        GROUP BY app_id, rule_id, recipient, digest_key HAVING MIN(due_at) <= ?
                        ORDER BY MIN(due_at) LIMIT ?""")
                .params(utc(now), limit)
                .query((rs, n) -> new Bucket(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)))
                .list();
        int sent = 0;
        for (Bucket bucket : due) {
            if (Boolean.TRUE.equals(transactions.execute(status -> send(bucket)))) {
                sent++;
            }
        }
        return sent;
    }

    private boolean send(Bucket bucket) {
        List<Stored> items = jdbc.sql("""
                        SELECT event_id, conversation_id, source, event_type, summary_template, item, created_at
                        FROM routing_digest_items WHERE app_id = ? AND rule_id = ? AND recipient = ? AND digest_key = ?
                        ORDER BY COALESCE(occurred_at, created_at), event_id FOR UPDATE SKIP LOCKED""")
                .params(bucket.appId(), bucket.ruleId(), bucket.recipient(), bucket.key())
                .query((rs, n) -> new Stored(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getBytes(6), rs.getObject(7, OffsetDateTime.class).toInstant()))
                .list();
        if (items.isEmpty()) {
            return false;   // another instance is sending it
        }
        delete(bucket, items.stream().map(Stored::eventId).toList());
        Stored first = items.getFirst();
        Stored last = items.getLast();
        String text = summary(bucket, items);
        String eventType = items.stream().allMatch(i -> i.eventType().equals(first.eventType())) ? first.eventType() : "digest";
        messages.append(new Message.Draft(bucket.appId(), last.conversationId(), null, "system:" + first.source(),
                Message.SenderType.SYSTEM, Content.text(text), null, null,
                new Message.Origin("digest:" + first.eventId(), first.source(), eventType, bucket.ruleId())));
        meters.counter("switchboard.routing.digests.sent").increment();
        meters.counter("switchboard.routing.digests.items").increment(items.size());
        return true;
    }

    /** Deletes exactly the items summarized (by key, in chunks): one that arrived meanwhile waits for the next digest. */
    private void delete(Bucket bucket, List<String> eventIds) {
        for (int from = 0; from < eventIds.size(); from += 500) {
            List<String> chunk = eventIds.subList(from, Math.min(eventIds.size(), from + 500));
            List<Object> params = new ArrayList<>(List.of(bucket.appId(), bucket.ruleId(), bucket.recipient(), bucket.key()));
            params.addAll(chunk);
            jdbc.sql("DELETE FROM routing_digest_items WHERE app_id = ? AND rule_id = ? AND recipient = ? AND digest_key = ?"
                            + " AND event_id IN (" + String.join(", ", java.util.Collections.nCopies(chunk.size(), "?")) + ")")
                    .params(params).update();
        }
    }

    private String summary(Bucket bucket, List<Stored> items) {
        List<Map<String, Object>> listed = new ArrayList<>();
        for (Stored stored : items.subList(0, Math.min(items.size(), MAX_LISTED))) {
            byte[] item = keys.decrypt(bucket.appId(), stored.item(),
                    aad(bucket.ruleId(), bucket.recipient(), stored.eventId()));
            listed.add(json.readValue(item, ITEM));
        }
        Map<String, Object> context = new HashMap<>();
        context.put("count", items.size());
        context.put("more", Math.max(0, items.size() - MAX_LISTED));
        context.put("events", listed);
        context.put("first", listed.getFirst());
        context.put("last", listed.getLast());
        context.put("source", items.getFirst().source());
        // numbers and dates in {{#number}}-style sections as the recipient reads them; a conversation's
        // digest, read by many, in the neutral forms
        context.putAll(LocaleFormats.of(locale(bucket), Instant.now()));
        String text = render(items.getLast().summaryTemplate(), context);
        return text.isBlank() ? render(CompiledRule.DEFAULT_DIGEST_TEXT, context) : text;
    }

    private String locale(Bucket bucket) {
        if (!bucket.recipient().startsWith(USER_RECIPIENT)) {
            return null;
        }
        return users.find(bucket.appId(), bucket.recipient().substring(USER_RECIPIENT.length()))
                .map(UserState::getLocale).orElse(null);
    }

    /** A digest's own budget: its summary template may loop over the events it lists. */
    private static String render(String source, Map<String, Object> context) {
        try {
            return Templates.render(Templates.text(source), context, RenderBudget.perEvent());
        } catch (Templates.InvalidTemplateException | Templates.UnrenderableTemplateException | RuntimeException e) {
            // render the default rather than lose the digest (the rule's template was valid when it was saved, or it
            // ran out of budget on these events)
            log.warn("Digest template failed ({}); using the default", e.getMessage());
            return Templates.render(defaultTemplate(), context, RenderBudget.perEvent());
        }
    }

    private static Template defaultTemplate() {
        try {
            return Templates.text(CompiledRule.DEFAULT_DIGEST_TEXT);
        } catch (Templates.InvalidTemplateException | Templates.UnrenderableTemplateException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An item's ciphertext is bound to its rule, recipient and event, so it cannot be moved to another digest. */
    private static String aad(String ruleId, String recipient, String eventId) {
        return "digest:" + ruleId + "/" + recipient + "/" + eventId;
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
