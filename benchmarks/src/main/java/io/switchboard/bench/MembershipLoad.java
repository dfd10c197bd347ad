package io.switchboard.bench;

import io.switchboard.client.Endpoints;
import io.switchboard.client.PushConnection;
import io.switchboard.client.SwitchboardClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * {@code ./switchboard bench membership}: against a running stack (the local one by default),
 * <ol>
 *   <li>visibility: a user connected to push-service is added to and removed from a group over
 *       HTTP, one change at a time; the time from sending the request to the {@code membership.changed}
 *       frame (sent when push-service's members view applies the change) is recorded, p50/p99;</li>
 *   <li>throughput: {@code BENCH_CONCURRENCY} workers, each on its own group, add and remove members
 *       over HTTP for {@code BENCH_SECONDS} after a warm-up; membership changes/s.</li>
 * </ol>
 */
public final class MembershipLoad {

    private static final Duration FRAME_WAIT = Duration.ofSeconds(10);

    private MembershipLoad() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(System.getenv().getOrDefault("SWITCHBOARD_DATA_DIR", ".switchboard"));
        String adminPassword = Files.readString(data.resolve("admin-password")).strip();
        int concurrency = Integer.parseInt(System.getenv().getOrDefault("BENCH_CONCURRENCY", "8"));
        int seconds = Integer.parseInt(System.getenv().getOrDefault("BENCH_SECONDS", "20"));
        int samples = Integer.parseInt(System.getenv().getOrDefault("BENCH_SAMPLES", "200"));

        try (SwitchboardClient client = new SwitchboardClient(Endpoints.localDefaults())) {
            SwitchboardClient.App app = client.createApp(adminPassword, "membership benchmark");
            String token = client.appToken(app, "user-tokens:mint", "users:write", "conversations:write",
                    "conversations:read");
            List<String> users = new ArrayList<>(List.of("owner", "watcher"));
            IntStream.range(0, 1000).forEach(i -> users.add("m" + i));
            client.importUsers(token, users);

            Latencies visibility = visibility(client, token, samples);
            System.out.printf(Locale.ROOT, "HTTP membership change -> visible in push-service's view (membership.changed "
                            + "frame), %d changes one at a time: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                    visibility.count(), visibility.percentile(50), visibility.percentile(99), visibility.percentile(100));

            for (int w = 0; w < concurrency; w++) {
                client.createGroup(token, "load-" + w, "Load " + w, List.of("owner"));
            }
            throughput(client, token, concurrency, 5);
            long changes = throughput(client, token, concurrency, seconds);
            System.out.printf(Locale.ROOT, "membership changes over HTTP: %,.0f changes/s (%d in %d s, %d workers, "
                    + "each change committed with its events)%n", changes / (double) seconds, changes, seconds, concurrency);
        }
    }

    private static Latencies visibility(SwitchboardClient client, String token, int samples) throws Exception {
        client.createGroup(token, "watched", "Watched", List.of("owner"));
        Latencies latencies = new Latencies();
        try (PushConnection watcher = PushConnection.open(
                client.endpoints().pushWebSocket(), client.userToken(token, "watcher"), FRAME_WAIT)) {
            for (int i = 0; i < samples + 20; i++) {
                boolean add = i % 2 == 0;
                long start = System.nanoTime();
                SwitchboardClient.Reply reply = add ? client.addMember(token, "watched", "watcher")
                        : client.removeMember(token, "watched", "watcher");
                if (reply.status() != 200) {
                    throw new IllegalStateException("membership change failed: HTTP " + reply.status() + " " + reply.body());
                }
                PushConnection.Frame frame = watcher.next("membership.changed", FRAME_WAIT);
                if (i >= 20) {
                    latencies.add(frame.receivedNanos() - start);
                }
            }
        }
        return latencies;
    }

    /** Each worker alternately adds and removes members of its own group; returns the changes accepted. */
    private static long throughput(SwitchboardClient client, String token, int concurrency, int seconds)
            throws InterruptedException {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong changes = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < concurrency; w++) {
                String conversation = "load-" + w;
                int worker = w;
                workers.submit(() -> {
                    for (int i = 0; running.get(); i++) {
                        String user = "m" + ((worker * 125 + i / 2) % 1000);
                        SwitchboardClient.Reply reply = i % 2 == 0 ? client.addMember(token, conversation, user)
                                : client.removeMember(token, conversation, user);
                        (reply.status() == 200 ? changes : errors).incrementAndGet();
                    }
                    return null;
                });
            }
            Thread.sleep(seconds * 1000L);
            running.set(false);
        }
        if (errors.get() > 0) {
            System.out.printf("(%d membership changes refused during the run)%n", errors.get());
        }
        return changes.get();
    }

    /** Recorded durations in nanoseconds. */
    private static final class Latencies {
        private final List<Long> nanos = new ArrayList<>();

        void add(long value) {
            nanos.add(value);
        }

        int count() {
            return nanos.size();
        }

        double percentile(int p) {
            List<Long> sorted = new ArrayList<>(nanos);
            Collections.sort(sorted);
            int index = Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1);
            return sorted.get(Math.max(0, index)) / 1e6;
        }
    }
}
