package io.switchboard.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The soak's traffic: text messages over message-service's HTTP API, each to the next group in
 * turn, so every message is stored, published on {@code chat.messages} and pushed to each member's
 * connection. Each message's text carries when its send was due ({@link System#nanoTime()}), so a
 * frame tells its own latency and no per-message state is kept, however long the run.
 *
 * <p>What happens is counted in the current {@link Interval}; {@link #nextInterval()} closes it
 * and starts the next, so a sampler reads the traffic of the last interval only.
 */
final class SoakTraffic {

    private static final String MARK = "soak@";
    private static final String TEXT = ": status update from the build pipeline, all checks green.";
    /** Sends in flight at most in the open loop: beyond that the sender falls behind schedule. */
    private static final int MAX_IN_FLIGHT = 4_000;
    private static final Duration STALL = Duration.ofSeconds(30);

    /** Sends answered and frames arrived since the interval started. */
    static final class Interval {
        private final long startNanos = System.nanoTime();
        private final AtomicLong accepted = new AtomicLong();
        private final AtomicLong refused = new AtomicLong();
        private final AtomicLong frames = new AtomicLong();
        private final AtomicLong lastFrameNanos = new AtomicLong(startNanos);
        private final List<Long> latencies = new ArrayList<>();

        private void answered(boolean stored) {
            (stored ? accepted : refused).incrementAndGet();
        }

        private synchronized void arrived(long latencyNanos, long atNanos) {
            latencies.add(latencyNanos);
            frames.incrementAndGet();
            lastFrameNanos.accumulateAndGet(atNanos, Math::max);
        }

        /** Messages stored (answered 201) per second from the interval's start until {@code endNanos}. */
        double acceptedPerSecond(long endNanos) {
            return accepted.get() / ((endNanos - startNanos) / 1e9);
        }

        long refused() {
            return refused.get();
        }

        /** Frames' time from the send being due to the frame on the member's connection, p99, in ms. */
        synchronized double p99DeliveryMillis() {
            return Percentiles.of(latencies).millis(99);
        }
    }

    private final List<String> groups;
    private final int groupSize;
    private final MessageSender sender;
    private volatile Interval current = new Interval();

    SoakTraffic(List<String> groups, int groupSize, MessageSender sender) {
        this.groups = groups;
        this.groupSize = groupSize;
        this.sender = sender;
    }

    /** Closes the current interval, starts the next, and returns the closed one. */
    Interval nextInterval() {
        Interval closed = current;
        current = new Interval();
        return closed;
    }

    /**
     * Sends as fast as {@code concurrency} requests in flight allow for {@code seconds}, then waits
     * for the frames; returns the messages per second delivered to every member (accepted messages
     * over the time until the last frame arrived), the most this machine sustains end to end.
     */
    double closedLoop(int concurrency, int seconds) throws InterruptedException {
        nextInterval();   // what arrives from here on is measured
        Interval measured = current;
        AtomicBoolean running = new AtomicBoolean(true);
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < concurrency; w++) {
                int first = w;
                workers.submit(() -> {
                    for (int i = first; running.get(); i += concurrency) {
                        send(i, System.nanoTime());
                    }
                });
            }
            Thread.sleep(seconds * 1000L);
            running.set(false);
        }
        long expected = measured.accepted.get() * groupSize;
        Arrivals.await(List.of("all"), key -> measured.frames.get() >= expected, STALL);
        nextInterval();
        return (double) measured.frames.get() / groupSize / ((measured.lastFrameNanos.get() - measured.startNanos) / 1e9);
    }

    /**
     * Sends {@code perSecond} messages a second for {@code seconds}, open loop ({@link OpenLoop}),
     * and returns once all were answered.
     *
     * @return how far behind its schedule a send started at worst, in nanoseconds
     */
    long openLoop(double perSecond, int seconds) throws InterruptedException {
        return OpenLoop.run(perSecond, (int) (perSecond * seconds), MAX_IN_FLIGHT, this::send);
    }

    private void send(int index, long dueNanos) {
        String messageId = sender.sendText(groups.get(index % groups.size()), MARK + dueNanos + TEXT);
        current.answered(messageId != null);
    }

    /** A frame on a member's connection: counted, with its latency, if it is one of this traffic's messages. */
    void onFrame(int user, boolean compressed, String text, long receivedNanos, int wireBytes) {
        int mark = text.indexOf(MARK);
        if (mark < 0 || !text.contains("\"message.created\"")) {
            return;
        }
        int from = mark + MARK.length();
        long due = Long.parseLong(text.substring(from, text.indexOf(':', from)));
        current.arrived(receivedNanos - due, receivedNanos);
    }
}
