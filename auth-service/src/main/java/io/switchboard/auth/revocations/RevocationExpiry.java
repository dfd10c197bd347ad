package io.switchboard.auth.revocations;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Once a minute, removes the revocations whose tokens have all expired and publishes their
 * tombstones, so that every service's view holds only what still matters. Safe on several
 * instances at once (each takes rows the others have not locked).
 */
@Component
class RevocationExpiry implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RevocationExpiry.class);
    private static final Duration PERIOD = Duration.ofMinutes(1);
    private static final int BATCH = 500;

    private final Revocations revocations;
    private ScheduledExecutorService scheduler;

    RevocationExpiry(Revocations revocations) {
        this.revocations = revocations;
    }

    void expireDue() {
        try {
            while (revocations.expire(Instant.now(), BATCH) == BATCH) {
                // more are due: go on
            }
        } catch (RuntimeException e) {
            log.warn("Could not expire token revocations (next try in {}): {}", PERIOD, e.toString());
        }
    }

    @Override
    public void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("revocation-expiry").daemon().factory());
        scheduler.scheduleWithFixedDelay(this::expireDue, PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }
}
