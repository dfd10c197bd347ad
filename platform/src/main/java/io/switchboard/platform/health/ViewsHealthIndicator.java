package io.switchboard.platform.health;

import io.switchboard.platform.kafka.CompactedTopicView;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether the service's local views can be trusted, as part of readiness: OUT_OF_SERVICE until
 * every view has caught up with its topic at start; DOWN when a view's thread died, or when a view
 * is staler than {@code maxStaleness} (the broker cannot be reached, or the view cannot keep up),
 * since the service would then enforce an old state: a suspended app, a revoked token or a removed
 * member would still be let in. Each view's freshness, lag and last failure are in the details.
 */
public class ViewsHealthIndicator implements HealthIndicator {

    private final List<CompactedTopicView<?>> views;
    private final Duration maxStaleness;

    public ViewsHealthIndicator(List<CompactedTopicView<?>> views, Duration maxStaleness) {
        this.views = views;
        this.maxStaleness = maxStaleness;
    }

    @Override
    public Health health() {
        Instant now = Instant.now();
        Status status = Status.UP;
        Map<String, Object> details = new LinkedHashMap<>();
        for (CompactedTopicView<?> view : views) {
            CompactedTopicView.Health health = view.health();
            String state;
            if (health.dead()) {
                state = "dead";
                status = Status.DOWN;
            } else if (!health.caughtUp()) {
                state = "catching up";
                status = status == Status.DOWN ? status : Status.OUT_OF_SERVICE;
            } else if (health.staleAt(now, maxStaleness)) {
                state = "stale";
                status = Status.DOWN;
            } else {
                state = "up";
            }
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("state", state);
            detail.put("keys", health.keys());
            detail.put("lag", health.lag());
            detail.put("freshAsOf", health.freshAsOf().toString());
            detail.put("skipped", health.skipped());
            if (health.failure() != null) {
                detail.put("failure", health.failure());
            }
            details.put(view.name(), detail);
        }
        return Health.status(status).withDetails(details).build();
    }
}
