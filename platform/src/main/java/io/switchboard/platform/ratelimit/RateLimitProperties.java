package io.switchboard.platform.ratelimit;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Per-app request rate limits of a service's public API.
 *
 * @param enabled                   whether requests are limited at all
 * @param defaultRequestsPerSecond  sustained rate of an app whose state names no limit of its own
 * @param burstSeconds              how many seconds of that rate an app may spend at once
 */
@ConfigurationProperties("switchboard.rate-limit")
public record RateLimitProperties(@DefaultValue("true") boolean enabled,
                                  @DefaultValue("200") int defaultRequestsPerSecond,
                                  @DefaultValue("2") int burstSeconds) {
}
