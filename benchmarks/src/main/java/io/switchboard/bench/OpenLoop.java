package io.switchboard.bench;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * Sends on a schedule, open loop: the i-th send is due at {@code start + i / rate} whether or not
 * the earlier ones were answered, so a slow system shows as latency instead of slowing the load
 * down (a closed loop would hide it). Each send runs on a virtual thread of its own.
 */
final class OpenLoop {

    /** One send; {@code scheduledNanos} is when it was due ({@link System#nanoTime()}). */
    @FunctionalInterface
    interface Send {
        void send(int index, long scheduledNanos) throws Exception;
    }

    private OpenLoop() {
    }

    /**
     * Runs {@code total} sends at {@code perSecond}, with at most {@code maxInFlight} unanswered
     * (beyond that the schedule slips), and returns once all were answered.
     *
     * @return how far behind its schedule a send started at worst, in nanoseconds
     */
    static long run(double perSecond, int total, int maxInFlight, Send send) throws InterruptedException {
        long intervalNanos = (long) (1e9 / perSecond);
        Semaphore inFlight = new Semaphore(maxInFlight);
        long maxBehind = 0;
        long start = System.nanoTime();
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < total; i++) {
                long due = start + i * intervalNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                inFlight.acquire();
                maxBehind = Math.max(maxBehind, System.nanoTime() - due);
                int index = i;
                senders.submit(() -> {
                    try {
                        send.send(index, due);
                    } finally {
                        inFlight.release();
                    }
                    return null;
                });
            }
        }
        return maxBehind;
    }
}
