package io.switchboard.message.routing;

import io.switchboard.events.integration.BusinessEvent;
import io.switchboard.events.membership.UserState;
import io.switchboard.message.messages.Content;
import io.switchboard.message.messages.ContentRules;
import io.switchboard.message.routing.preferences.NotificationPreferences;
import io.switchboard.message.routing.preferences.Preference;
import io.switchboard.message.routing.rules.CompiledContent;
import io.switchboard.message.routing.rules.CompiledRule;
import io.switchboard.platform.directory.UsersView;
import io.switchboard.platform.problems.ApiException;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

    /** Who a matching rule reaches with an event; nobody at all is {@code unresolvable-targets}. */
    Audience audience(CompiledRule rule, BusinessEvent event) throws PlanningException {
        Audience audience = targets.resolve(rule.definition().targets(), event);
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
     */
    RulePlan plan(CompiledRule rule, BusinessEvent event, Map<String, Object> context, Audience audience,
                  Map<String, String> systemIds, Map<String, Preference> chosen) throws PlanningException {
        Map<String, Content> byVariant = new HashMap<>();
        List<Delivery> deliveries = new ArrayList<>();
        for (String conversationId : audience.conversations()) {
            deliveries.add(delivery(rule, "conversation:" + conversationId, null, conversationId, null, null,
                    context, byVariant));
        }
        for (String userId : audience.users()) {
            String locale = users.find(event.getAppId(), userId).map(UserState::getLocale).orElse(null);
            deliveries.add(delivery(rule, "user:" + userId, userId, systemIds.get(userId), locale, chosen.get(userId),
                    context, byVariant));
        }
        return new RulePlan(rule, audience, deliveries, context);
    }

    private Delivery delivery(CompiledRule rule, String recipient, String userId, String conversationId, String locale,
                              Preference preference, Map<String, Object> context, Map<String, Content> byVariant)
            throws PlanningException {
        String variant = rule.content().variantFor(locale);
        Content content = byVariant.get(String.valueOf(variant));
        if (content == null) {
            content = render(rule, locale, context);
            byVariant.put(String.valueOf(variant), content);
        }
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

    private Content render(CompiledRule rule, String locale, Map<String, Object> context) throws PlanningException {
        try {
            CompiledContent.Rendered rendered = rule.content().render(locale, context);
            return contentRules.validated(rendered.content());
        } catch (ApiException e) {
            throw new PlanningException("template-error", "Rule " + rule.ruleId() + " rendered an invalid notification: "
                    + e.getMessage());
        } catch (RuntimeException e) {
            throw new PlanningException("template-error", "Rule " + rule.ruleId() + " failed to render: " + e.getMessage());
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
