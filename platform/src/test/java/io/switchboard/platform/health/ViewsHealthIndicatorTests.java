package io.switchboard.platform.health;

import io.switchboard.platform.kafka.CompactedTopicView;
import io.switchboard.schemas.TopicSpec;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Readiness from the views' health: a dead or stale view takes the service out, whatever the others say. */
class ViewsHealthIndicatorTests {

    private static final Duration MAX_STALENESS = Duration.ofSeconds(30);

    @Test
    void freshViewsAreUpWithTheirLagAndKeys() {
        Health health = indicator(view("apps", fresh(), null, false)).health();

        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(detail(health, "apps")).containsEntry("state", "up").containsEntry("lag", 0L).containsEntry("keys", 3);
    }

    @Test
    void aViewStalerThanTheLimitTakesTheServiceDownAndSaysWhy() {
        Health health = indicator(view("apps", fresh(), null, false),
                view("revocations", Instant.now().minus(Duration.ofSeconds(45)), "TimeoutException: endOffsets", false)).health();

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(detail(health, "revocations")).containsEntry("state", "stale")
                .containsEntry("failure", "TimeoutException: endOffsets");
    }

    @Test
    void aDeadViewTakesTheServiceDownEvenWhenFresh() {
        Health health = indicator(view("users", fresh(), "NoClassDefFoundError: x", true)).health();

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(detail(health, "users")).containsEntry("state", "dead");
    }

    @Test
    void aViewCatchingUpKeepsTheServiceOutOfServiceButADeadOneWins() {
        CompactedTopicView<String> catchingUp = new FixedView("members",
                new CompactedTopicView.Health(false, false, fresh(), 900, null, 0, 1));

        assertThat(indicator(catchingUp).health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(indicator(view("users", fresh(), "dead", true), catchingUp).health().getStatus()).isEqualTo(Status.DOWN);
    }

    private static Instant fresh() {
        return Instant.now().minusSeconds(1);
    }

    private static CompactedTopicView<String> view(String name, Instant freshAsOf, String failure, boolean dead) {
        return new FixedView(name, new CompactedTopicView.Health(true, dead, freshAsOf, 0, failure, 0, 3));
    }

    private static ViewsHealthIndicator indicator(CompactedTopicView<?>... views) {
        return new ViewsHealthIndicator(List.of(views), MAX_STALENESS);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> detail(Health health, String view) {
        return (Map<String, Object>) health.getDetails().get(view);
    }

    /** A view in a given state, never started. */
    private static final class FixedView extends CompactedTopicView<String> {
        private final CompactedTopicView.Health health;

        FixedView(String name, CompactedTopicView.Health health) {
            super(name, new TopicSpec("t", 1, true, "key", null), Map.of());
            this.health = health;
        }

        @Override
        public CompactedTopicView.Health health() {
            return health;
        }
    }
}
