package io.switchboard.platform;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.Optional;

/**
 * A loop on its own daemon thread that starts and stops with the application context. Subclasses
 * implement {@link #work()}, which runs while {@link #isRunning()}, and may override
 * {@link #interruptWork()} to break out of a blocking call when the context stops. A loop that
 * ends by throwing (an error it did not expect, a class that can no longer be loaded) is reported
 * by {@link #failure()}, which readiness and liveness read ({@code workers}).
 */
public abstract class BackgroundWorker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(BackgroundWorker.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final String threadName;
    private volatile Thread worker;
    private volatile boolean running;
    private volatile Throwable failure;

    protected BackgroundWorker(String threadName) {
        this.threadName = threadName;
    }

    /** The loop; returns when {@link #isRunning()} turns false or it gives up. */
    protected abstract void work();

    /** Breaks a blocking call of {@link #work()}; by default interrupts its thread. */
    protected void interruptWork(Thread thread) {
        thread.interrupt();
    }

    @Override
    public void start() {
        running = true;
        failure = null;
        worker = Thread.ofPlatform().name(threadName).daemon().start(this::workRecordingFailure);
    }

    private void workRecordingFailure() {
        try {
            work();
        } catch (Throwable e) {
            failure = e;
            log.error("{} died; readiness and liveness report it until the service restarts", threadName, e);
        }
    }

    @Override
    public void stop() {
        running = false;
        Thread thread = worker;
        if (thread == null) {
            return;
        }
        interruptWork(thread);
        try {
            thread.join(STOP_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    public String threadName() {
        return threadName;
    }

    /**
     * What ended the loop while it should have kept running: the throwable it died of. Empty while it
     * runs, after it returned by itself (a loop may finish its work), or once stopped.
     */
    public Optional<Throwable> failure() {
        Thread thread = worker;
        Throwable ended = failure;
        return running && ended != null && thread != null && !thread.isAlive() ? Optional.of(ended) : Optional.empty();
    }
}
