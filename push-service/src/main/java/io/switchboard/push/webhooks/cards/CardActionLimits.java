package io.switchboard.push.webhooks.cards;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.switchboard.push.webhooks.WebhookProperties;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * How often users may click card buttons ({@link WebhookProperties.CardActions}): one Bucket4j
 * token bucket per user of an app and one per app, in this instance's memory like the HTTP API's
 * limit ({@code AppRateLimiter}). A click takes a token from both; one that the app's bucket
 * refuses gives the user's token back, so a user is not charged for the crowd. Buckets not used
 * for ten minutes are forgotten (a forgotten bucket is full: at most one burst more).
 */
@Component
class CardActionLimits {

    private final WebhookProperties.CardActions limits;
    private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
            .maximumSize(1_000_000)
            .expireAfterAccess(Duration.ofMinutes(10))
            .build();

    CardActionLimits(WebhookProperties properties) {
        this.limits = properties.cardActions();
    }

    /**
     * Takes one click of the user's and the app's allowance.
     *
     * @return empty when the click may go on; otherwise how many milliseconds until it would be allowed
     */
    OptionalLong tryClick(String appId, String userId) {
        if (!limits.enabled()) {
            return OptionalLong.empty();
        }
        Bucket user = bucket("user/" + appId + "/" + userId, limits.perUser());
        ConsumptionProbe byUser = user.tryConsumeAndReturnRemaining(1);
        if (!byUser.isConsumed()) {
            return OptionalLong.of(millis(byUser.getNanosToWaitForRefill()));
        }
        ConsumptionProbe byApp = bucket("app/" + appId, limits.perApp()).tryConsumeAndReturnRemaining(1);
        if (!byApp.isConsumed()) {
            user.addTokens(1);
            return OptionalLong.of(millis(byApp.getNanosToWaitForRefill()));
        }
        return OptionalLong.empty();
    }

    private Bucket bucket(String key, int clicks) {
        return buckets.get(key, k -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(clicks).refillGreedy(clicks, limits.period()).build())
                .build());
    }

    private static long millis(long nanos) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos + 999_999));
    }
}
