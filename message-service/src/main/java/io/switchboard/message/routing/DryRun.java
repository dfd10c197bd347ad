package io.switchboard.message.routing;

import io.switchboard.events.integration.BusinessEvent;
import io.switchboard.message.messages.Content;
import io.switchboard.message.routing.noise.Throttles;
import io.switchboard.message.routing.preferences.NotificationPreferences;
import io.switchboard.message.routing.rules.CompiledRule;
import io.switchboard.message.routing.rules.Condition;
import io.switchboard.message.routing.rules.RenderBudget;
import io.switchboard.message.routing.rules.RuleDefinition;
import io.switchboard.message.routing.rules.Rules;
import io.switchboard.platform.membership.MembershipView;
import io.switchboard.platform.problems.ApiException;
import io.switchboard.platform.problems.ErrorCode;
import org.springframework.stereotype.Service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Shows what routing would do with an event — which rules match, whom they notify and what each
 * recipient would read — without sending, counting or creating anything. Throttles are read, not
 * counted, so the outcome reflects the windows as they are now.
 */
@Service
public class DryRun {

    private final Rules rules;
    private final NotificationPlanner planner;
    private final NotificationPreferences preferences;
    private final Throttles throttles;

    DryRun(Rules rules, NotificationPlanner planner, NotificationPreferences preferences, Throttles throttles) {
        this.rules = rules;
        this.planner = planner;
        this.preferences = preferences;
        this.throttles = throttles;
    }

    /** The outcome for one recipient: SEND, THROTTLED, DIGEST or MUTED. */
    public record Notification(String userId, String conversationId, String locale, Content content, String outcome) {
    }

    /**
     * One rule's verdict.
     *
     * @param result MATCHED, NOT_MATCHED (source or type differ), CONDITION_FALSE or FAILED
     * @param reason for FAILED: the reason the event would be dead-lettered with
     */
    public record RuleResult(String ruleId, long version, String result, String reason, String detail,
                             List<Notification> notifications, List<String> unknownUsers, List<String> inactiveUsers,
                             List<String> unresolved) {
    }

    /** Against the enabled rules for the event's source, or against one rule by id (enabled or not). */
    public List<RuleResult> againstStored(BusinessEvent event, String ruleId) {
        List<CompiledRule> candidates;
        if (ruleId != null) {
            candidates = List.of(rules.compiled(event.getAppId(), ruleId)
                    .orElseThrow(() -> new ApiException(ErrorCode.RULE_NOT_FOUND, "No routing rule " + ruleId)));
        } else {
            candidates = rules.enabledFor(event.getAppId(), event.getSource());
        }
        return candidates.stream().map(rule -> evaluate(rule, event)).toList();
    }

    /** Against a rule that is not saved yet. */
    public RuleResult againstDraft(BusinessEvent event, RuleDefinition definition) {
        return evaluate(rules.draft(event.getAppId(), definition), event);
    }

    private RuleResult evaluate(CompiledRule rule, BusinessEvent event) {
        if (!rule.matchesSourceAndType(event)) {
            return result(rule, "NOT_MATCHED", null, null);
        }
        try {
            if (!rule.test(event)) {
                return result(rule, "CONDITION_FALSE", null, null);
            }
            Map<String, Object> context = planner.templateContext(event);
            Audience audience = planner.audience(rule, event, MembershipView.freshnessBudget());
            RulePlan plan = planner.plan(rule, event, context, audience,
                    SystemConversationRequests.idsOf(event.getSource(), audience.users()),
                    preferences.chosen(event.getAppId(), event.getSource(), event.getEventType()),
                    RenderBudget.perEvent());
            List<Notification> notifications = new ArrayList<>();
            Instant now = Instant.now();
            for (Delivery delivery : plan.deliveries()) {
                notifications.add(new Notification(delivery.userId(), delivery.conversationId(), delivery.variant(),
                        delivery.content(), outcome(plan, delivery, now)));
            }
            return new RuleResult(rule.ruleId(), rule.version(), "MATCHED", null, null, notifications,
                    audience.unknownUsers(), audience.inactiveUsers(), audience.unresolved());
        } catch (Condition.EvaluationException e) {
            return result(rule, "FAILED", "condition-error", e.getMessage());
        } catch (NotificationPlanner.PlanningException e) {
            return result(rule, "FAILED", e.reason(), e.getMessage());
        }
    }

    private String outcome(RulePlan plan, Delivery delivery, Instant now) {
        if (delivery.decision() != Delivery.Decision.SEND) {
            return delivery.decision().name();
        }
        Throttles.Bucket bucket = plan.throttleBucket(delivery);
        return bucket == null || throttles.wouldAdmit(bucket, now) ? "SEND" : "THROTTLED";
    }

    private static RuleResult result(CompiledRule rule, String result, String reason, String detail) {
        return new RuleResult(rule.ruleId(), rule.version(), result, reason, detail, List.of(), List.of(), List.of(), List.of());
    }
}
