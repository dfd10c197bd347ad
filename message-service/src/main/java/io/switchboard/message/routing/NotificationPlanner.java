package io.switchboard.message.routing;

import io.switchboard.events.integration.BusinessEvent;
import io.switchboard.events.membership.UserState;
import io.switchboard.message.messages.Content;
import io.switchboard.message.messages.ContentRules;
import io.switchboard.message.routing.preferences.NotificationPreferences;
import io.switchboard.message.routing.preferences.Preference;
import io.switchboard.message.routing.rules.CompiledRule;
import io.switchboard.message.routing.rules.EventContext;
import io.switchboard.message.routing.rules.RenderBudget;
import io.switchboard.platform.directory.UsersView;
import io.switchboard.platform.kafka.FreshnessBudget;
import io.switchboard.platform.problems.ApiException;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Plans what a matching rule does with an event: resolves its audience, picks each recipient's
 * locale variant and renders it (once per variant), and applies the recipients' preferences and
 * the rule's digest. Writes nothing; {@link Router} commits a plan, a dry run only shows it. The
 * two steps are apart so that routing can create the system conversations and read the
 * preferences of a whole batch of events at once.
 */
@Component
class NotificationPlanner {

    private final TargetResolver targets;
    private final UsersView users;
    private final ContentRules contentRules;

    NotificationPlanner(TargetResolver targets, UsersView users, ContentRules contentRules) {
        this.targets = targets;
        this.users = users;
        this.contentRules = contentRules;
    }

    /** Thrown when a rule cannot be planned for an event. */
    static final class PlanningException extends Exception {
        private final String reason;

        PlanningException(String reason, String detail) {
            super(detail, null, false, false);
            this.reason = reason;
        }

        String reason() {
            return reason;
        }
    }

    /** What the rules' templates render an event from, the people it names with their display names. */
    Map<String, Object> templateContext(BusinessEvent event) {
        return EventContext.forTemplates(event, userId -> users.find(event.getAppId(), userId)
                .map(UserState::getDisplayName).orElse(null));
    }

    /** Waits, once for all of them and within {@code freshness}, for the conversations the rules name. */
    void awaitNamedConversations(String appId, Collection<CompiledRule> rules, FreshnessBudget freshness) {
        targets.awaitNamedConversations(appId, rules, freshness);
    }

    /**
     * Who a matching rule reaches with an event; nobody at all is {@code unresolvable-targets}.
     *
     * @param freshness how long the poll or request may still wait for views to learn of new ids
     */
    Audience audience(CompiledRule rule, BusinessEvent event, FreshnessBudget freshness) throws PlanningException {
        Audience audience = targets.resolve(rule.definition().targets(), event, freshness);
        if (audience.isEmpty()) {
            throw new PlanningException("unresolvable-targets", "Rule " + rule.ruleId() + " resolved to nobody: "
                    + describe(audience));
        }
        return audience;
    }

    /**
     * The deliveries of a rule to its audience.
     *
     * @param systemIds each user's system conversation for the event's source (created beforehand
     *                  when routing for real; only computed for a dry run)
     * @param chosen    the preferences users chose for the event's source and type
     *                  ({@link NotificationPreferences#chosen}); users without one get everything
     * @param budget    what rendering may still cost for this event ({@code template-budget-exceeded} beyond it)
     */
    RulePlan plan(CompiledRule rule, BusinessEvent event, Map<String, Object> context, Audience audience,
                  Map<String, String> systemIds, Map<String, Preference> chosen, RenderBudget budget)
            throws PlanningException {
        Rendering rendering = new Rendering(rule, context, budget);
        List<Delivery> deliveries = new ArrayList<>();
        for (String conversationId : audience.conversations()) {
            deliveries.add(delivery(rule, "conversation:" + conversationId, null, conversationId, null, null,
                    rendering));
        }
        for (String userId : audience.users()) {
            String locale = users.find(event.getAppId(), userId).map(UserState::getLocale).orElse(null);
            deliveries.add(delivery(rule, "user:" + userId, userId, systemIds.get(userId), locale, chosen.get(userId),
                    rendering));
        }
        return new RulePlan(rule, audience, deliveries, context, rendering.rendered(() -> rule.throttleKey(context, budget)),
                rendering.rendered(() -> rule.digestKey(context, budget)));
    }

    private Delivery delivery(CompiledRule rule, String recipient, String userId, String conversationId, String locale,
                              Preference preference, Rendering rendering) throws PlanningException {
        String variant = rule.content().variantFor(locale);
        Content content = rendering.content(locale);
        Delivery.Decision decision = Delivery.Decision.SEND;
        Duration digestWindow = null;
        if (preference != null && preference.mode() == Preference.Mode.MUTE) {
            decision = Delivery.Decision.MUTED;
        } else if (!rule.critical() && preference != null && preference.mode() == Preference.Mode.DIGEST) {
            decision = Delivery.Decision.DIGEST;
            digestWindow = preference.effectiveDigestWindow();
        } else if (!rule.critical() && rule.digestWindow() != null) {
            decision = Delivery.Decision.DIGEST;
            digestWindow = rule.digestWindow();
        }
        return new Delivery(recipient, userId, conversationId, variant, content, decision, digestWindow);
    }

    /**
     * One rule's rendering for one event: rendered once per recipient locale (the variant and the
     * locale's number and date forms), every render on the event's budget.
     */
    private final class Rendering {
        private final CompiledRule rule;
        private final Map<String, Object> context;
        private final RenderBudget budget;
        private final Map<String, Content> byLocale = new HashMap<>();

        Rendering(CompiledRule rule, Map<String, Object> context, RenderBudget budget) {
            this.rule = rule;
            this.context = context;
            this.budget = budget;
        }

        Content content(String locale) throws PlanningException {
            Content content = byLocale.get(String.valueOf(locale));
            if (content == null) {
                content = validated(rendered(() -> rule.content().render(locale, context, budget).content()));
                byLocale.put(String.valueOf(locale), content);
            }
            return content;
        }

        /** Renders something of the rule's, telling a budget that ran out from a template that failed. */
        <T> T rendered(Supplier<T> render) throws PlanningException {
            try {
                return render.get();
            } catch (RenderBudget.ExceededException e) {
                throw new PlanningException("template-budget-exceeded", "Rule " + rule.ruleId()
                        + " exceeded the rendering budget: " + e.getMessage());
            } catch (RuntimeException e) {
                throw new PlanningException("template-error", "Rule " + rule.ruleId() + " failed to render: "
                        + e.getMessage());
            }
        }

        private Content validated(Content content) throws PlanningException {
            try {
                return contentRules.validated(content);
            } catch (ApiException e) {
                throw new PlanningException("template-error", "Rule " + rule.ruleId()
                        + " rendered an invalid notification: " + e.getMessage());
            }
        }
    }

    private static String describe(Audience audience) {
        List<String> parts = new ArrayList<>(audience.unresolved());
        if (!audience.unknownUsers().isEmpty()) {
            parts.add("unknown users " + audience.unknownUsers());
        }
        if (!audience.inactiveUsers().isEmpty()) {
            parts.add("deactivated users " + audience.inactiveUsers());
        }
        return parts.isEmpty() ? "no target named anyone" : String.join("; ", parts);
    }
}
