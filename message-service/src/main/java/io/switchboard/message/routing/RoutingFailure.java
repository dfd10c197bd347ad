package io.switchboard.message.routing;

/**
 * Why a rule could not route an event; the event goes to the dead-letter topic with {@code reason}
 * and can be replayed once the rule (or the event's data) is fixed.
 *
 * @param reason stable code: condition-error, template-error, unresolvable-targets or invalid-rule
 */
record RoutingFailure(String ruleId, String reason, String detail) {
}
