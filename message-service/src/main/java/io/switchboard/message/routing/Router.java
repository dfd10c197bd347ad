package io.switchboard.message.routing;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.events.auth.AppStatus;
import io.switchboard.events.integration.BusinessEvent;
import io.switchboard.message.messages.Message;
import io.switchboard.message.messages.Messages;
import io.switchboard.message.routing.noise.Digests;
import io.switchboard.message.routing.noise.Throttles;
import io.switchboard.message.routing.rules.CompiledRule;
import io.switchboard.message.routing.rules.Condition;
import io.switchboard.message.routing.rules.EventContext;
import io.switchboard.message.routing.rules.Rules;
import io.switchboard.platform.apps.AppStateView;
import io.switchboard.platform.kafka.UnprocessableRecordException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a business event into notifications. The rules of the event's app and source are matched
 * and planned first (no writes); then one transaction stores every planned notification, counts
 * throttles, collects digest items and records, per rule, that the event went through it. A
 * redelivered or replayed event therefore skips the rules it already went through, and a rule that
 * failed (bad condition, template or targets) does not hold back the others: the event is
 * dead-lettered with the failure after the rest committed, and a replay after the fix routes only
 * what is missing.
 */
@Service
public class Router {

    private static final Logger log = LoggerFactory.getLogger(Router.class);

    private final Rules rules;
    private final NotificationPlanner planner;
    private final Messages messages;
    private final Throttles throttles;
    private final Digests digests;
    private final AppStateView apps;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final MeterRegistry meters;

    Router(Rules rules, NotificationPlanner planner, Messages messages, Throttles throttles, Digests digests,
           AppStateView apps, JdbcClient jdbc, TransactionTemplate transactions, MeterRegistry meters) {
        this.rules = rules;
        this.planner = planner;
        this.messages = messages;
        this.throttles = throttles;
        this.digests = digests;
        this.apps = apps;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.meters = meters;
    }

    /** What routing one event did. */
    public record Outcome(List<Message> sent, int suppressed, int digested, List<RoutingFailure> failures) {
    }

    /**
     * Routes one event.
     *
     * @throws UnprocessableRecordException when the event's app is unknown or suspended, or a rule
     *                                      failed on it (after the other rules' notifications were stored)
     */
    public Outcome route(BusinessEvent event) {
        requireActiveApp(event.getAppId());
        List<CompiledRule> candidates = rules.enabledFor(event.getAppId(), event.getSource()).stream()
                .filter(rule -> rule.matchesSourceAndType(event)).toList();
        if (candidates.isEmpty()) {
            meters.counter("switchboard.routing.events", "outcome", "no-rule").increment();
            return new Outcome(List.of(), 0, 0, List.of());
        }
        Set<String> done = routedRules(event);
        Map<String, Object> context = EventContext.forTemplates(event);
        List<RulePlan> plans = new ArrayList<>();
        List<RoutingFailure> failures = new ArrayList<>();
        for (CompiledRule rule : candidates) {
            if (done.contains(rule.ruleId())) {
                continue;
            }
            try {
                if (rule.test(event)) {
                    plans.add(planner.plan(rule, event, context, true));
                }
            } catch (Condition.EvaluationException e) {
                failures.add(new RoutingFailure(rule.ruleId(), "condition-error",
                        "Rule " + rule.ruleId() + ": the condition failed on this event: " + e.getMessage()));
            } catch (NotificationPlanner.PlanningException e) {
                failures.add(new RoutingFailure(rule.ruleId(), e.reason(), e.getMessage()));
            }
        }
        Outcome outcome = transactions.execute(status -> commit(event, plans, failures));
        count(outcome, done.size() == candidates.size() ? "duplicate"
                : !failures.isEmpty() ? "failed" : plans.isEmpty() ? "condition-false" : "routed");
        if (!failures.isEmpty()) {
            RoutingFailure first = failures.getFirst();
            throw new UnprocessableRecordException(first.reason(), failures.size() == 1 ? first.detail()
                    : first.detail() + " (and " + (failures.size() - 1) + " more failing rules)");
        }
        return outcome;
    }

    private Outcome commit(BusinessEvent event, List<RulePlan> plans, List<RoutingFailure> failures) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<Message.Draft> drafts = new ArrayList<>();
        int suppressed = 0;
        int digested = 0;
        for (RulePlan plan : plans) {
            if (!claim(event, plan.rule(), now)) {
                continue;   // another consumer routed it meanwhile (a rebalance)
            }
            int ruleSent = 0;
            int ruleSuppressed = 0;
            int ruleDigested = 0;
            for (Delivery delivery : plan.deliveries()) {
                switch (delivery.decision()) {
                    case MUTED -> ruleSuppressed++;
                    case DIGEST -> {
                        digests.collect(digestItem(event, plan, delivery), delivery.digestWindow(), now);
                        ruleDigested++;
                    }
                    case SEND -> {
                        if (admitted(plan, delivery, now)) {
                            drafts.add(draft(event, plan.rule(), delivery));
                            ruleSent++;
                        } else {
                            ruleSuppressed++;
                        }
                    }
                }
            }
            suppressed += ruleSuppressed;
            digested += ruleDigested;
            report(event, plan, ruleSent, ruleSuppressed, ruleDigested);
        }
        return new Outcome(messages.appendAll(drafts), suppressed, digested, failures);
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
        return new Digests.Item(event.getAppId(), rule.ruleId(), delivery.recipient(), rule.digestKey(plan.context()),
                event.getEventId(), delivery.conversationId(), event.getSource(), event.getEventType(), summary, item);
    }

    private void requireActiveApp(String appId) {
        var app = apps.findFresh(appId).orElseThrow(() ->
                new UnprocessableRecordException("unknown-app", "No app " + appId));
        if (app.getStatus() != AppStatus.ACTIVE) {
            throw new UnprocessableRecordException("app-suspended", "App " + appId + " is suspended");
        }
    }

    private Set<String> routedRules(BusinessEvent event) {
        return new HashSet<>(jdbc.sql("SELECT rule_id FROM routed_event_rules WHERE app_id = ? AND event_id = ?")
                .params(event.getAppId(), event.getEventId()).query(String.class).list());
    }

    /** Records that the event went through the rule; false if that was recorded already. */
    private boolean claim(BusinessEvent event, CompiledRule rule, Instant now) {
        return jdbc.sql("""
                        INSERT INTO routed_event_rules (app_id, event_id, rule_id, rule_version, notified, suppressed, digested, routed_at)
                        VALUES (?, ?, ?, ?, 0, 0, 0, ?) ON CONFLICT DO NOTHING""")
                .params(event.getAppId(), event.getEventId(), rule.ruleId(), rule.version(), now.atOffset(ZoneOffset.UTC))
                .update() == 1;
    }

    private void report(BusinessEvent event, RulePlan plan, int sent, int suppressed, int digested) {
        List<String> unknown = new ArrayList<>(plan.audience().unknownUsers());
        plan.audience().inactiveUsers().forEach(id -> unknown.add(id + " (deactivated)"));
        jdbc.sql("""
                        UPDATE routed_event_rules SET notified = ?, suppressed = ?, digested = ?, unknown_users = ?
                        WHERE app_id = ? AND event_id = ? AND rule_id = ?""")
                .params(sent, suppressed, digested, unknown.isEmpty() ? null : String.join("\n", unknown), event.getAppId(),
                        event.getEventId(), plan.rule().ruleId())
                .update();
        if (!unknown.isEmpty()) {
            meters.counter("switchboard.routing.unknown.users").increment(unknown.size());
            log.info("Event {} of app {}: rule {} names users that cannot be notified: {}", event.getEventId(),
                    event.getAppId(), plan.rule().ruleId(), unknown);
        }
    }

    private void count(Outcome outcome, String result) {
        meters.counter("switchboard.routing.events", "outcome", result).increment();
        meters.counter("switchboard.routing.notifications", "outcome", "sent").increment(outcome.sent().size());
        meters.counter("switchboard.routing.notifications", "outcome", "suppressed").increment(outcome.suppressed());
        meters.counter("switchboard.routing.notifications", "outcome", "digested").increment(outcome.digested());
    }
}
