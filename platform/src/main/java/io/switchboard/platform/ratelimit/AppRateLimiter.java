package io.switchboard.platform.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.switchboard.events.auth.AppState;
import io.switchboard.platform.apps.AppStateView;

import java.time.Duration;

/**
 * One token bucket (Bucket4j) per app: {@code requestsPerSecond} refilled continuously, up to
 * {@code burstSeconds} of it at once. The rate comes from the app's state on {@code auth.apps}, or
 * the service default. Buckets of apps that stopped calling are forgotten after ten minutes.
 */
public class AppRateLimiter {

    private final AppStateView apps;
    private final RateLimitProperties properties;
    private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterAccess(Duration.ofMinutes(10))
            .build();

    public AppRateLimiter(AppStateView apps, RateLimitProperties properties) {
        this.apps = apps;
        this.properties = properties;
    }

    /** The outcome of taking one request from the app's bucket, with what is left. */
    public record Decision(boolean allowed, long limit, long remaining, long nanosToWait) {
    }

    public Decision tryAcquire(String appId) {
        int rate = apps.find(appId).map(AppState::getRequestsPerSecond)
                .filter(r -> r != null && r > 0)
                .orElse(properties.defaultRequestsPerSecond());
        long capacity = (long) rate * Math.max(1, properties.burstSeconds());
        Bucket bucket = buckets.get(appId + "@" + rate, key -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(capacity).refillGreedy(rate, Duration.ofSeconds(1)).build())
                .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        return new Decision(probe.isConsumed(), capacity, probe.getRemainingTokens(), probe.getNanosToWaitForRefill());
    }
}
