package io.switchboard.platform.health;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A readiness check that reaches another system (PostgreSQL, Kafka), run on its own thread every
 * {@code interval}, while probes read its latest result and answer at once.
 *
 * <p>Run inside the probe, such a check waited for CPU and for whatever it shares with request
 * traffic, so a busy instance answered its probe late and was taken out of the balancer although
 * nothing was down, which moved its load onto the others (the chaos suite saw message-service
 * flap dozens of times an outage). Here a slow check only makes its result older; once the
 * latest result is older than {@code maxAge} the check is hanging and the indicator says DOWN.
 * Until the first check has finished it says OUT_OF_SERVICE.
 */
public final class PeriodicHealth implements HealthIndicator, DisposableBean {

    private final HealthIndicator check;
    private final Duration maxAge;
    private final ScheduledExecutorService thread;
    private volatile Result latest;

    private record Result(Health health, long finishedAtNanos) {
    }

    /**
     * @param name     names the check's thread ({@code health-<name>})
     * @param check    the check itself; closed with this indicator when it is {@link DisposableBean}
     * @param maxAge   how old the latest result may be before the check counts as hanging: more than
     *                 {@code interval} plus the check's own timeouts
     */
    public PeriodicHealth(String name, HealthIndicator check, Duration interval, Duration maxAge) {
        this.check = check;
        this.maxAge = maxAge;
        this.thread = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("health-" + name).factory());
        thread.scheduleWithFixedDelay(this::runCheck, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A check run as {@code switchboard.readiness.check-interval} and {@code check-max-age} say. */
    public PeriodicHealth(String name, HealthIndicator check, ReadinessCheckProperties settings) {
        this(name, check, settings.checkInterval(), settings.checkMaxAge());
    }

    private void runCheck() {
        Health health;
        try {
            health = check.health();
        } catch (RuntimeException e) {
            // a check should answer DOWN itself; one that throws must not end the schedule
            health = Health.down().withDetail("error", e.getClass().getSimpleName()).build();
        }
        latest = new Result(health, System.nanoTime());
    }

    @Override
    public Health health() {
        Result result = latest;
        if (result == null) {
            return Health.outOfService().withDetail("check", "not finished yet").build();
        }
        long ageMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - result.finishedAtNanos());
        if (ageMillis > maxAge.toMillis()) {
            return Health.down().withDetail("check", "no result for " + ageMillis / 1000 + " s: the check hangs").build();
        }
        return Health.status(result.health().getStatus()).withDetails(result.health().getDetails())
                .withDetail("checkedMillisAgo", ageMillis).build();
    }

    @Override
    public void destroy() throws Exception {
        thread.shutdownNow();
        if (check instanceof DisposableBean disposable) {
            disposable.destroy();
        }
    }
}
