package io.switchboard.push.gateway;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ReplayGateTests {

    private final List<String> written = new ArrayList<>();
    private final ReplayGate gate = new ReplayGate(100, written::add);

    @Test
    void liveFramesFlowWhenNoReplayRuns() {
        assertThat(gate.offer("c", 1, "c1")).isEqualTo(ReplayGate.Outcome.SENT);
        assertThat(written).containsExactly("c1");
    }

    @Test
    void liveFramesWaitForTheReplayAndThoseItSentAreDropped() {
        gate.hold();
        assertThat(gate.offer("c", 4, "c4")).isEqualTo(ReplayGate.Outcome.HELD);
        assertThat(gate.offer("d", 0, "d-read")).isEqualTo(ReplayGate.Outcome.HELD);
        assertThat(gate.offer("c", 5, "c5")).isEqualTo(ReplayGate.Outcome.HELD);
        written.add("replayed c3");
        written.add("replayed c4");
        assertThat(written).as("nothing live overtakes the replay").containsExactly("replayed c3", "replayed c4");

        gate.release(Map.of("c", 4L));

        assertThat(written).containsExactly("replayed c3", "replayed c4", "d-read", "c5");
        assertThat(gate.offer("c", 4, "c4 again")).as("a late duplicate").isEqualTo(ReplayGate.Outcome.DUPLICATE);
        assertThat(gate.offer("c", 6, "c6")).isEqualTo(ReplayGate.Outcome.SENT);
    }

    @Test
    void overlappingReplaysReleaseOnlyWhenTheLastEnds() {
        gate.hold();
        gate.hold();
        gate.offer("c", 2, "c2");
        gate.release(Map.of("c", 1L));
        assertThat(written).isEmpty();
        assertThat(gate.holding()).isTrue();
        gate.release(Map.of("d", 9L));
        assertThat(written).containsExactly("c2");
        assertThat(gate.holding()).isFalse();
    }

    @Test
    void holdingMoreThanTheBufferIsRefused() {
        gate.hold();
        assertThat(gate.offer("c", 1, "x".repeat(60))).isEqualTo(ReplayGate.Outcome.HELD);
        assertThat(gate.offer("c", 2, "y".repeat(60))).isEqualTo(ReplayGate.Outcome.REFUSED);
    }

    @Test
    void aReleaseWithoutAHoldChangesNothingButTheThresholds() {
        gate.release(Map.of("c", 3L));
        assertThat(gate.offer("c", 3, "c3")).isEqualTo(ReplayGate.Outcome.DUPLICATE);
        assertThat(gate.offer("c", 4, "c4")).isEqualTo(ReplayGate.Outcome.SENT);
    }
}
