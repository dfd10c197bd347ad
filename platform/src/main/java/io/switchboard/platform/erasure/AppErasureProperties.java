package io.switchboard.platform.erasure;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.List;

/**
 * How a service erases deleted apps.
 *
 * @param groupId      the consumer group reading {@code auth.apps} for deletions, one per service
 * @param keepTables   tables whose rows of a deleted app stay (an audit trail)
 * @param settleTime   how long after reading a deletion the erasure starts: the app's tokens are
 *                     refused from the deletion on, and requests already admitted finish meanwhile
 * @param pollInterval how often erasures that are due (or were interrupted) are looked for
 * @param leaseTime    how long an instance holds an erasure it started before another may take it over
 */
@ConfigurationProperties("switchboard.erasure")
public record AppErasureProperties(String groupId,
                                   @DefaultValue List<String> keepTables,
                                   @DefaultValue("1m") Duration settleTime,
                                   @DefaultValue("1m") Duration pollInterval,
                                   @DefaultValue("10m") Duration leaseTime) {
}
