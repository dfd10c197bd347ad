package io.switchboard.message.routing;

import io.switchboard.message.routing.rules.CompiledRule;

import java.util.List;
import java.util.Map;

/**
 * What one matching rule will do with one event.
 *
 * @param context the event's template context (throttle and digest keys, digest items)
 */
record RulePlan(CompiledRule rule, Audience audience, List<Delivery> deliveries, Map<String, Object> context) {
}
