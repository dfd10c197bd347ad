package io.switchboard.message.routing;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.events.auth.AppStatus;
import io.switchboard.events.integration.BusinessEvent;
import io.switchboard.message.messages.Message;
import io.switchboard.message.messages.Messages;
import io.switchboard.message.routing.noise.Digests;
import io.switchboard.message.routing.noise.Throttles;
import io.switchboard.message.routing.preferences.NotificationPreferences;
import io.switchboard.message.routing.preferences.Preference;
import io.switchboard.message.routing.rules.CompiledRule;
import io.switchboard.message.routing.rules.Condition;
import io.switchboard.message.routing.rules.RenderBudget;
import io.switchboard.message.routing.rules.Rules;
import io.switchboard.platform.apps.AppStateView;
import io.switchboard.platform.kafka.FreshnessBudget;
import io.switchboard.platform.kafka.UnprocessableRecordException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns business events into notifications, a batch at a time (a poll's worth). The rules of each
 * event's app and source are matched and planned first (no writes; the system conversations and
 * the preferences a batch needs are fetched once for all of it); then one transaction stores
 * every planned notification, counts throttles, collects digest items and records, per event and
 * rule, that the event went through the rule. A redelivered or replayed event therefore skips the
 * rules it already went through, and a rule that failed (bad condition, template or targets) does
 * not hold back the others: the event is dead-lettered with the failure after the rest committed,
 * and a replay after the fix routes only what is missing.
 */
@Service
public class Router {

    private static final Logger log = LoggerFactory.getLogger(Router.class);
    /**
     * How long one poll may wait in all for the views to learn of apps, conversations and users its
     * events name that they do not know yet (created a moment ago, still crossing Kafka). One
     * budget for the poll, not one wait per id: a poll of events naming unknown ids costs about one
     * wait, far within {@code max.poll.interval.ms}.
     */
    private static final Duration POLL_FRESHNESS = Duration.ofSeconds(10);

    private final Rules rules;
    private final NotificationPlanner planner;
    private final SystemConversationRequests systemConversations;
    private final NotificationPreferences preferences;
    private final Messages messages;
    private final Throttles throttles;
    private final Digests digests;
    private final AppStateView apps;
    private final JdbcClient jdbc;
    private final JdbcTemplate batches;
    private final TransactionTemplate transactions;
    private final MeterRegistry meters;

    Router(Rules rules, NotificationPlanner planner, SystemConversationRequests systemConversations,
           NotificationPreferences preferences, Messages messages, Throttles throttles, Digests digests,
           AppStateView apps, JdbcClient jdbc, JdbcTemplate batches, TransactionTemplate transactions,
           MeterRegistry meters) {
        this.rules = rules;
        this.planner = planner;
        this.systemConversations = systemConversations;
        this.preferences = preferences;
        this.messages = messages;
        this.throttles = throttles;
        this.digests = digests;
        this.apps = apps;
        this.jdbc = jdbc;
        this.batches = batches;
        this.transactions = transactions;
        this.meters = meters;
    }

    /**
     * What routing one event did.
     *
     * @param deadLetter why the event goes to the dead-letter topic (its app is unknown or
     *                   suspended, or a rule failed on it after the other rules' notifications
     *                   were stored); null when it does not
     */
    public record Outcome(List<Message> sent, int suppressed, int digested, UnprocessableRecordException deadLetter) {
    }

    /**
     * Routes a batch of events in one transaction and returns an outcome per event, in order.
     * Throws only when the batch could not be routed at all (the database or membership-service
     * unavailable, a bug); nothing of it is stored then.
     */
    public List<Outcome> routeAll(List<BusinessEvent> events) {
        List<EventRouting> routings = events.stream().map(EventRouting::new).toList();
        FreshnessBudget freshness = FreshnessBudget.of(POLL_FRESHNESS);
        apps.awaitKeys(events.stream().map(BusinessEvent::getAppId).distinct().toList(), freshness);
        Map<String, List<CompiledRule>> rulesBySource = new HashMap<>();
        for (EventRouting routing : routings) {
            BusinessEvent event = routing.event;
            try {
                requireActiveApp(event.getAppId());
                routing.candidates = rulesBySource.computeIfAbsent(event.getAppId() + "\n" + event.getSource(),
                                key -> rules.enabledFor(event.getAppId(), event.getSource())).stream()
                        .filter(rule -> rule.matchesSourceAndType(event)).toList();
            } catch (UnprocessableRecordException e) {
                routing.rejected = e;
            }
        }
        List<EventRouting> matching = routings.stream().filter(routing -> !routing.candidates.isEmpty()).toList();
        loadRoutedRules(matching);
        awaitNamedConversations(matching, freshness);
        matching.forEach(routing -> match(routing, freshness));
        plan(matching, ensureSystemConversations(matching));
        if (matching.stream().anyMatch(routing -> !routing.plans.isEmpty())) {
            transactions.executeWithoutResult(status -> commit(matching));
        }
        return routings.stream().map(this::outcome).toList();
    }

    /** Waits once for the whole poll for conversations its rules name that the membership view does not know yet. */
    private void awaitNamedConversations(List<EventRouting> routings, FreshnessBudget freshness) {
        Map<String, Set<CompiledRule>> rulesByApp = new LinkedHashMap<>();
        routings.forEach(routing -> rulesByApp.computeIfAbsent(routing.event.getAppId(), app -> new HashSet<>())
                .addAll(routing.candidates));
        rulesByApp.forEach((appId, appRules) -> planner.awaitNamedConversations(appId, appRules, freshness));
    }

    /** Rules whose condition holds, and whom each reaches; failures are kept per rule. */
    private void match(EventRouting routing, FreshnessBudget freshness) {
        routing.context = planner.templateContext(routing.event);
        for (CompiledRule rule : routing.candidates) {
            if (routing.done.contains(rule.ruleId())) {
                continue;
            }
            try {
                if (rule.test(routing.event)) {
                    routing.matched.add(new Matched(rule, planner.audience(rule, routing.event, freshness)));
                }
            } catch (Condition.EvaluationException e) {
                routing.failures.add(new RoutingFailure(rule.ruleId(), "condition-error",
                        "Rule " + rule.ruleId() + ": the condition failed on this event: " + e.getMessage()));
            } catch (NotificationPlanner.PlanningException e) {
                routing.failures.add(new RoutingFailure(rule.ruleId(), e.reason(), e.getMessage()));
            }
        }
    }

    /** The system conversation of every user the batch notifies, per app and source, created together if missing. */
    private Map<String, Map<String, String>> ensureSystemConversations(List<EventRouting> routings) {
        Map<String, Set<String>> usersBySource = new LinkedHashMap<>();
        for (EventRouting routing : routings) {
            routing.matched.forEach(matched -> usersBySource.computeIfAbsent(sourceKey(routing.event),
                    key -> new LinkedHashSet<>()).addAll(matched.audience().users()));
        }
        Map<String, Map<String, String>> idsBySource = new HashMap<>();
        usersBySource.forEach((key, users) -> {
            String[] appAndSource = key.split("\n", 2);
            idsBySource.put(key, systemConversations.ensure(appAndSource[0], appAndSource[1], users));
        });
        return idsBySource;
    }

    private void plan(List<EventRouting> routings, Map<String, Map<String, String>> systemIds) {
        Map<String, Map<String, Preference>> chosen = new HashMap<>();
        for (EventRouting routing : routings) {
            BusinessEvent event = routing.event;
            Map<String, Preference> eventPreferences = chosen.computeIfAbsent(
                    sourceKey(event) + "\n" + event.getEventType(),
                    key -> preferences.chosen(event.getAppId(), event.getSource(), event.getEventType()));
            for (Matched matched : routing.matched) {
                try {
                    routing.plans.add(planner.plan(matched.rule(), event, routing.context, matched.audience(),
                            systemIds.getOrDefault(sourceKey(event), Map.of()), eventPreferences, routing.renderBudget));
                } catch (NotificationPlanner.PlanningException e) {
                    routing.failures.add(new RoutingFailure(matched.rule().ruleId(), e.reason(), e.getMessage()));
                }
            }
        }
    }

    private void commit(List<EventRouting> routings) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        claim(routings, now);
        List<Message.Draft> drafts = new ArrayList<>();
        List<Object[]> reports = new ArrayList<>();
        for (EventRouting routing : routings) {
            BusinessEvent event = routing.event;
            routing.firstDraft = drafts.size();
            for (RulePlan plan : routing.claimed) {
                int sent = 0;
                int suppressed = 0;
                int digested = 0;
                for (Delivery delivery : plan.deliveries()) {
                    switch (delivery.decision()) {
                        case MUTED -> suppressed++;
                        case DIGEST -> {
                            digests.collect(digestItem(event, plan, delivery), delivery.digestWindow(), now);
                            digested++;
                        }
                        case SEND -> {
                            if (admitted(plan, delivery, now)) {
                                drafts.add(draft(event, plan.rule(), delivery));
                                sent++;
                            } else {
                                suppressed++;
                            }
                        }
                    }
                }
                routing.suppressed += suppressed;
                routing.digested += digested;
                reports.add(report(event, plan, sent, suppressed, digested));
            }
            routing.draftCount = drafts.size() - routing.firstDraft;
        }
        batches.batchUpdate("""
                UPDATE routed_event_rules SET notified = ?, suppressed = ?, digested = ?, unknown_users = ?
                WHERE app_id = ? AND event_id = ? AND rule_id = ?""", reports);
        List<Message> stored = messages.appendAll(drafts);
        for (EventRouting routing : routings) {
            routing.sent = stored.subList(routing.firstDraft, routing.firstDraft + routing.draftCount);
        }
    }

    /**
     * Records that each planned event went through its rule, keeping the plans whose record is
     * new: another consumer may have routed an event meanwhile (a rebalance), or the batch holds
     * the same event twice.
     */
    private void claim(List<EventRouting> routings, Instant now) {
        List<Object[]> rows = new ArrayList<>();
        for (EventRouting routing : routings) {
            for (RulePlan plan : routing.plans) {
                rows.add(new Object[] {routing.event.getAppId(), routing.event.getEventId(), plan.rule().ruleId(),
                        plan.rule().version(), now.atOffset(ZoneOffset.UTC)});
            }
        }
        int[] inserted = batches.batchUpdate("""
                INSERT INTO routed_event_rules (app_id, event_id, rule_id, rule_version, notified, suppressed, digested, routed_at)
                VALUES (?, ?, ?, ?, 0, 0, 0, ?) ON CONFLICT DO NOTHING""", rows);
        int row = 0;
        for (EventRouting routing : routings) {
            routing.claimed = new ArrayList<>();
            for (RulePlan plan : routing.plans) {
                if (inserted[row++] == 1) {
                    routing.claimed.add(plan);
                }
            }
        }
    }

    private Outcome outcome(EventRouting routing) {
        if (routing.rejected != null) {
            meters.counter("switchboard.routing.events", "outcome", routing.rejected.reason()).increment();
            return new Outcome(List.of(), 0, 0, routing.rejected);
        }
        if (routing.candidates.isEmpty()) {
            meters.counter("switchboard.routing.events", "outcome", "no-rule").increment();
            return new Outcome(List.of(), 0, 0, null);
        }
        List<RoutingFailure> failures = routing.failures;
        UnprocessableRecordException deadLetter = null;
        if (!failures.isEmpty()) {
            RoutingFailure first = failures.getFirst();
            deadLetter = new UnprocessableRecordException(first.reason(), failures.size() == 1 ? first.detail()
                    : first.detail() + " (and " + (failures.size() - 1) + " more failing rules)");
        }
        Outcome outcome = new Outcome(routing.sent, routing.suppressed, routing.digested, deadLetter);
        count(outcome, routing.done.size() == routing.candidates.size() ? "duplicate"
                : !failures.isEmpty() ? "failed" : routing.plans.isEmpty() ? "condition-false" : "routed");
        return outcome;
    }

    private boolean admitted(RulePlan plan, Delivery delivery, Instant now) {
        Throttles.Bucket bucket = plan.throttleBucket(delivery);
        return bucket == null || throttles.admit(bucket, now);
    }

    private static Message.Draft draft(BusinessEvent event, CompiledRule rule, Delivery delivery) {
        return new Message.Draft(event.getAppId(), delivery.conversationId(), null, "system:" + event.getSource(),
                Message.SenderType.SYSTEM, delivery.content(), null, null,
                new Message.Origin(event.getEventId(), event.getSource(), event.getEventType(), rule.ruleId()));
    }

    private static Digests.Item digestItem(BusinessEvent event, RulePlan plan, Delivery delivery) {
        CompiledRule rule = plan.rule();
        Map<String, Object> item = new HashMap<>(plan.context());
        item.put("text", delivery.content().text());
        String summary = rule.definition().digest() != null && rule.definition().digest().text() != null
                ? rule.definition().digest().text() : CompiledRule.DEFAULT_DIGEST_TEXT;
        return new Digests.Item(event.getAppId(), rule.ruleId(), delivery.recipient(), plan.digestKey(),
                event.getEventId(), delivery.conversationId(), event.getSource(), event.getEventType(), summary, item,
                event.getOccurredAt());
    }

    /** The app's state as the view holds it: the poll has waited for the apps it names already. */
    private void requireActiveApp(String appId) {
        var app = apps.find(appId).orElseThrow(() ->
                new UnprocessableRecordException("unknown-app", "No app " + appId));
        if (app.getStatus() != AppStatus.ACTIVE) {
            throw new UnprocessableRecordException("app-suspended", "App " + appId + " is suspended");
        }
    }

    /** Which rules each event already went through (an earlier delivery of it, or a replay). */
    private void loadRoutedRules(List<EventRouting> routings) {
        if (routings.isEmpty()) {
            return;
        }
        Map<String, List<EventRouting>> byKey = new HashMap<>();
        routings.forEach(routing -> byKey.computeIfAbsent(eventKey(routing.event.getAppId(), routing.event.getEventId()),
                key -> new ArrayList<>()).add(routing));
        List<Object[]> keys = routings.stream()
                .map(routing -> new Object[] {routing.event.getAppId(), routing.event.getEventId()}).toList();
        jdbc.sql("SELECT app_id, event_id, rule_id FROM routed_event_rules WHERE (app_id, event_id) IN (:keys)")
                .param("keys", keys)
                .query(rs -> {
                    String ruleId = rs.getString(3);
                    byKey.get(eventKey(rs.getString(1), rs.getString(2))).forEach(routing -> routing.done.add(ruleId));
                });
    }

    private Object[] report(BusinessEvent event, RulePlan plan, int sent, int suppressed, int digested) {
        List<String> unknown = new ArrayList<>(plan.audience().unknownUsers());
        plan.audience().inactiveUsers().forEach(id -> unknown.add(id + " (deactivated)"));
        if (!unknown.isEmpty()) {
            meters.counter("switchboard.routing.unknown.users").increment(unknown.size());
            log.info("Event {} of app {}: rule {} names users that cannot be notified: {}", event.getEventId(),
                    event.getAppId(), plan.rule().ruleId(), unknown);
        }
        return new Object[] {sent, suppressed, digested, unknown.isEmpty() ? null : String.join("\n", unknown),
                event.getAppId(), event.getEventId(), plan.rule().ruleId()};
    }

    private void count(Outcome outcome, String result) {
        meters.counter("switchboard.routing.events", "outcome", result).increment();
        meters.counter("switchboard.routing.notifications", "outcome", "sent").increment(outcome.sent().size());
        meters.counter("switchboard.routing.notifications", "outcome", "suppressed").increment(outcome.suppressed());
        meters.counter("switchboard.routing.notifications", "outcome", "digested").increment(outcome.digested());
    }

    private static String sourceKey(BusinessEvent event) {
        return event.getAppId() + "\n" + event.getSource();
    }

    private static String eventKey(String appId, String eventId) {
        return appId + "\n" + eventId;
    }

    /** A rule whose condition holds for an event, and whom it reaches. */
    private record Matched(CompiledRule rule, Audience audience) {
    }

    /** One event's way through a batch. */
    private static final class EventRouting {
        final BusinessEvent event;
        /** Unknown or suspended app: not routed at all. */
        UnprocessableRecordException rejected;
        List<CompiledRule> candidates = List.of();
        /** Rules the event went through before. */
        final Set<String> done = new HashSet<>();
        Map<String, Object> context;
        /** Every rule's rendering for the event draws on it. */
        final RenderBudget renderBudget = RenderBudget.perEvent();
        final List<Matched> matched = new ArrayList<>();
        final List<RulePlan> plans = new ArrayList<>();
        final List<RoutingFailure> failures = new ArrayList<>();
        /** The plans this batch recorded first, and what they did. */
        List<RulePlan> claimed = List.of();
        int firstDraft;
        int draftCount;
        List<Message> sent = List.of();
        int suppressed;
        int digested;

        EventRouting(BusinessEvent event) {
            this.event = event;
        }
    }
}
