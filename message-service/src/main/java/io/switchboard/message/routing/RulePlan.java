package io.switchboard.message.routing;

import io.switchboard.message.routing.noise.Throttles;
import io.switchboard.message.routing.rules.CompiledRule;

import java.util.List;
import java.util.Map;

/**
 * What one matching rule will do with one event.
 *
 * @param context the event's template context (throttle and digest keys, digest items)
 */
record RulePlan(CompiledRule rule, Audience audience, List<Delivery> deliveries, Map<String, Object> context) {

    /** The throttle a delivery counts against; null when the rule does not throttle or is critical. */
    Throttles.Bucket throttleBucket(Delivery delivery) {
        if (rule.critical() || rule.definition().throttle() == null) {
            return null;
        }
        return new Throttles.Bucket(rule.appId(), rule.ruleId(), delivery.recipient(), rule.throttleKey(context),
                rule.definition().throttle().max(), rule.definition().throttle().per());
    }
}
