package io.switchboard.message.routing;

import io.switchboard.message.routing.noise.Throttles;
import io.switchboard.message.routing.rules.CompiledRule;

import java.util.List;
import java.util.Map;

/**
 * What one matching rule will do with one event.
 *
 * @param context     the event's template context (digest items)
 * @param throttleKey the rendered throttle key ({@code ""} when the rule does not throttle)
 * @param digestKey   the rendered digest key ({@code ""} when the rule does not digest)
 */
record RulePlan(CompiledRule rule, Audience audience, List<Delivery> deliveries, Map<String, Object> context,
                String throttleKey, String digestKey) {

    /** The throttle a delivery counts against; null when the rule does not throttle or is critical. */
    Throttles.Bucket throttleBucket(Delivery delivery) {
        if (rule.critical() || rule.definition().throttle() == null) {
            return null;
        }
        return new Throttles.Bucket(rule.appId(), rule.ruleId(), delivery.recipient(), throttleKey,
                rule.definition().throttle().max(), rule.definition().throttle().per());
    }
}
