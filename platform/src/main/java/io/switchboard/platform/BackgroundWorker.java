package io.switchboard.platform;

import org.springframework.context.SmartLifecycle;

import java.time.Duration;

/**
 * A loop on its own daemon thread that starts and stops with the application context. Subclasses
 * implement {@link #work()}, which runs while {@link #isRunning()}, and may override
 * {@link #interruptWork()} to break out of a blocking call when the context stops.
 */
public abstract class BackgroundWorker implements SmartLifecycle {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final String threadName;
    private volatile Thread worker;
    private volatile boolean running;

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
        worker = Thread.ofPlatform().name(threadName).daemon().start(this::work);
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
}
