package io.switchboard.platform.erasure;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs due erasures: once a deletion has settled ({@link AppErasureProperties#settleTime()}), and
 * every poll interval for those interrupted by a failure or a crash.
 */
class AppErasureJob implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AppErasureJob.class);

    private final AppErasures erasures;
    private final AppErasureProperties properties;
    private volatile ScheduledExecutorService scheduler;

    AppErasureJob(AppErasures erasures, AppErasureProperties properties) {
        this.erasures = erasures;
        this.properties = properties;
    }

    /** A deletion was just recorded: run once it has settled. */
    void runAfterSettling() {
        ScheduledExecutorService running = scheduler;
        if (running != null) {
            running.schedule(this::runDue, properties.settleTime().toMillis() + 100, TimeUnit.MILLISECONDS);
        }
    }

    private void runDue() {
        try {
            erasures.runDue();
        } catch (RuntimeException e) {
            log.warn("Erasing deleted apps failed; it resumes within {}: {}", properties.pollInterval(), e.toString());
        }
    }

    @Override
    public void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("app-erasure").daemon().factory());
        long poll = properties.pollInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::runDue, poll, poll, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        ScheduledExecutorService running = scheduler;
        scheduler = null;
        if (running != null) {
            running.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }
}
