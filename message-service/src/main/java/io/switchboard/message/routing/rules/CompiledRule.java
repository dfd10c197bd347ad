package io.switchboard.message.routing.rules;

import com.samskivert.mustache.Template;
import io.switchboard.events.integration.BusinessEvent;

import java.time.Duration;
import java.util.Map;

/**
 * A stored rule, compiled: its condition and templates parsed once when the rule was saved or
 * first used, reused for every event.
 *
 * @param condition   null when the rule has none
 * @param throttleKey null when the rule does not throttle
 * @param digestKey   null when the rule does not digest
 */
public record CompiledRule(String appId, String ruleId, long version, RuleDefinition definition, Condition condition,
                           CompiledContent content, Template throttleKey, Template digestKey, Template digestText) {

    /** The summary a digest sends when its rule gives no text of its own. */
    public static final String DEFAULT_DIGEST_TEXT =
            "{{count}} notifications from {{source}}:{{#events}}\n• {{text}}{{/events}}";

    /** Whether the event's source and type are the rule's; the condition is {@link #test}ed apart. */
    public boolean matchesSourceAndType(BusinessEvent event) {
        RuleDefinition.Match match = definition.match();
        return match.source().equals(event.getSource())
                && (match.eventTypes().isEmpty() || match.eventTypes().contains(event.getEventType()));
    }

    /** Whether the condition holds (true without a condition). */
    public boolean test(BusinessEvent event) throws Condition.EvaluationException {
        return condition == null || condition.test(event);
    }

    public boolean critical() {
        return definition.isCritical();
    }

    public String throttleKey(Map<String, Object> context, RenderBudget budget) {
        return throttleKey == null ? "" : Templates.render(throttleKey, context, budget);
    }

    public String digestKey(Map<String, Object> context, RenderBudget budget) {
        return digestKey == null ? "" : Templates.render(digestKey, context, budget);
    }

    public Duration digestWindow() {
        return definition.digest() == null ? null : definition.digest().window();
    }
}
