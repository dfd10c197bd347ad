package io.switchboard.platform.health;

import io.switchboard.platform.kafka.CompactedTopicView;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

import java.util.List;

/**
 * OUT_OF_SERVICE until every local view has caught up with its topic, so a service takes traffic
 * only once it knows the state it depends on. Part of readiness.
 */
public class ViewsHealthIndicator implements HealthIndicator {

    private final List<CompactedTopicView<?>> views;

    public ViewsHealthIndicator(List<CompactedTopicView<?>> views) {
        this.views = views;
    }

    @Override
    public Health health() {
        Health.Builder builder = views.stream().allMatch(CompactedTopicView::isCaughtUp)
                ? Health.up() : Health.status(Status.OUT_OF_SERVICE);
        for (CompactedTopicView<?> view : views) {
            builder.withDetail(view.name(), view.isCaughtUp() ? "caught up, " + view.size() + " keys" : "catching up");
        }
        return builder.build();
    }
}
