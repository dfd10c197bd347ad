package io.switchboard.chaos;

import java.util.concurrent.locks.LockSupport;

/**
 * Open-loop load: two kinds of sends, each at its own fixed rate, started on schedule whatever the
 * system does (a send that waits for an answer does so on its own thread), so an outage shows up
 * as a backlog, not as load that politely went away.
 */
final class OpenLoad implements AutoCloseable {

    private final Thread thread;
    private volatile boolean running = true;

    private OpenLoad(double firstPerSecond, Runnable first, double secondPerSecond, Runnable second) {
        this.thread = Thread.ofPlatform().name("chaos-open-load").start(() -> {
            long start = System.nanoTime();
            long firstSent = 0;
            long secondSent = 0;
            while (running) {
                double elapsed = (System.nanoTime() - start) / 1e9;
                for (; firstSent < (long) (elapsed * firstPerSecond); firstSent++) {
                    first.run();
                }
                for (; secondSent < (long) (elapsed * secondPerSecond); secondSent++) {
                    second.run();
                }
                LockSupport.parkNanos(5_000_000);
            }
        });
    }

    static OpenLoad start(double firstPerSecond, Runnable first, double secondPerSecond, Runnable second) {
        return new OpenLoad(firstPerSecond, first, secondPerSecond, second);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join();
    }
}
