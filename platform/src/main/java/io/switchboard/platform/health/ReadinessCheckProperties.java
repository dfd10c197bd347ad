package io.switchboard.platform.health;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * How readiness's checks of other systems run ({@link PeriodicHealth}).
 *
 * @param checkInterval how often each check runs
 * @param checkMaxAge   how old a check's latest result may be before the check counts as hanging
 *                      (more than the interval plus the checks' own timeouts)
 */
@ConfigurationProperties("switchboard.readiness")
public record ReadinessCheckProperties(@DefaultValue("2s") Duration checkInterval,
                                       @DefaultValue("20s") Duration checkMaxAge) {
}
