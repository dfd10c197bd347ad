package io.switchboard.message.routing.rules;

import java.time.Instant;

/** A stored routing rule: its definition at {@code version}. */
public record Rule(String appId, String ruleId, long version, RuleDefinition definition, Instant createdAt,
                   Instant updatedAt) {
}
