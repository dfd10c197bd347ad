package io.switchboard.push;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class RecentIdsTests {

    private final AtomicLong nanos = new AtomicLong();
    private final RecentIds ids = new RecentIds(Duration.ofMinutes(10), nanos::get);

    @Test
    void anIdSeenWithinTheWindowIsACopy() {
        assertThat(ids.firstTime("c1/e1")).isTrue();
        nanos.addAndGet(Duration.ofMinutes(9).toNanos());

        assertThat(ids.contains("c1/e1")).isTrue();
        assertThat(ids.firstTime("c1/e1")).isFalse();
        assertThat(ids.firstTime("c1/e2")).isTrue();
    }

    @Test
    void idsOlderThanTheWindowAreForgottenSoTheHeldSetStopsGrowing() {
        for (int i = 0; i < 1_000; i++) {
            ids.firstTime("c1/e" + i);
            nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        }

        // 1,000 ids written at 0..999 s, now 1,000 s: only those of the last 10 minutes (401..999 s) are held
        assertThat(ids.size()).isEqualTo(599);
        assertThat(ids.contains("c1/e0")).isFalse();
        assertThat(ids.firstTime("c1/e0")).isTrue();
        assertThat(ids.contains("c1/e999")).isTrue();
    }
}
