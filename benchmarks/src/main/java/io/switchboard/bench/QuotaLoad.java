package io.switchboard.bench;

import io.switchboard.client.SwitchboardClient;
import org.apache.kafka.clients.producer.ProducerConfig;
import tools.jackson.databind.JsonNode;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;

/**
 * {@code ./switchboard bench quotas}: does one app's flood slow another app? Starts the whole
 * system and two apps, each with its own Kafka credential (as the README's producers get them):
 * <ol>
 *   <li>a steady CRM, whose {@code deal.updated} events notify {@code BENCH_USERS} (100) users,
 *       each holding a WebSocket connection, at {@code BENCH_RATE} (50) events/s, open loop, for
 *       {@code BENCH_SECONDS} (30) a run: latency from just before the send to the broker's
 *       acknowledgement, and to the frame on the owner's WebSocket, p50/p99/max;</li>
 *   <li>quiet warm-up runs, not compared, until two in a row agree on the end-to-end p99 within
 *       {@code WARM_UP_AGREEMENT} (the JVMs keep getting faster for minutes, which flatters
 *       whichever kind of run comes later), then quiet and flooded runs in turn, quiet first and
 *       last, {@code BENCH_ROUNDS} (3) flooded ones: while a second app's system
 *       floods its own topic as fast as its producer can, with events of
 *       {@code BENCH_FLOOD_PAYLOAD_BYTES} (16,384) bytes that match no rule, so only the brokers'
 *       quota on its credential ({@code producer_byte_rate}, 1 MiB/s by default) holds it back;</li>
 *   <li>the steady app's latencies in each flooded run / the mean of the two quiet runs beside it,
 *       and the median of those ratios over the rounds, the flood's
 *       acknowledged bytes per second and the time the brokers throttled it, and each process's
 *       CPU share in every run.</li>
 * </ol>
 * The issue's bar: the steady app's latency within 20 % of the quiet run.
 */
public final class QuotaLoad {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STALL = Duration.ofSeconds(30);
    /** How long the flood runs before the steady app is measured, so its producer is at the quota. */
    private static final Duration FLOOD_RAMP = Duration.ofSeconds(10);
    /** Two quiet runs in a row whose end-to-end p99 differ by at most this share end the warm-up. */
    private static final double WARM_UP_AGREEMENT = 0.15;
    private static final int MAX_WARM_UP_RUNS = 8;

    private final BenchStack bench;
    private final List<String> users;
    private final DealUpdates deals;
    private final NotificationSockets sockets;

    private QuotaLoad(BenchStack bench, List<String> users, DealUpdates deals, NotificationSockets sockets) {
        this.bench = bench;
        this.users = users;
        this.deals = deals;
        this.sockets = sockets;
    }

    /** The steady app's latencies in one phase. */
    private record Phase(Percentiles toAcknowledged, Percentiles toWebSocket) {
    }

    public static void main(String[] args) throws Exception {
        int seconds = BenchSettings.integer("BENCH_SECONDS", 30);
        int userCount = BenchSettings.integer("BENCH_USERS", 100);
        int rate = BenchSettings.integer("BENCH_RATE", 50);
        int payloadBytes = BenchSettings.integer("BENCH_FLOOD_PAYLOAD_BYTES", 16_384);
        int rounds = BenchSettings.integer("BENCH_ROUNDS", 3);
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        List<String> users = IntStream.range(0, userCount).mapToObj(i -> String.format(Locale.ROOT, "owner-%04d", i))
                .toList();
        try (BenchStack bench = BenchStack.start()) {
            SwitchboardClient client = bench.client();
            String registryApi = bench.stack().registry().registryApiUrl();
            SwitchboardClient.App steady = bench.createApp("steady CRM");
            String steadyToken = client.appToken(steady, "user-tokens:mint", "users:write", "routing:admin",
                    "kafka-credentials:admin");
            client.importUsers(steadyToken, users);
            client.putRoutingRule(steadyToken, DealUpdates.RULE_ID, DealUpdates.RULE);
            JsonNode steadyCredential = client.issueKafkaCredential(steadyToken);
            SwitchboardClient.App flooding = bench.createApp("flooding system");
            JsonNode floodCredential = client.issueKafkaCredential(client.appToken(flooding, "kafka-credentials:admin"));
            List<String> tokens = UserTokens.mint(client, steadyToken, users);
            try (NotificationSockets sockets = NotificationSockets.open(client.endpoints().pushWebSocket(), tokens,
                    CONNECT_TIMEOUT);
                 DealUpdates deals = new DealUpdates(steady.appId(), "integration.events." + steady.appId(),
                         AvroProducers.withCredential(steadyCredential, registryApi, Map.of(
                                 ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)))) {
                System.out.printf(Locale.ROOT, "quotas: steady app %s with %,d users on WebSockets, rule crm deal.updated "
                                + "-> payload.ownerId; flooding app %s; each credential's quota %s; %d cores; load "
                                + "average before start %.1f%n", steady.appId(), users.size(), flooding.appId(),
                        floodCredential.get("quota"), Runtime.getRuntime().availableProcessors(), loadBefore);
                QuotaLoad load = new QuotaLoad(bench, users, deals, sockets);
                load.warmUp();
                load.warmUpUntilSteady(rate, seconds);
                // quiet and flooded runs alternate, each flooded one compared with the quiet ones beside it
                List<Phase> quiet = new ArrayList<>();
                List<Phase> flooded = new ArrayList<>();
                quiet.add(load.measure("quiet 1", rate, seconds));
                for (int round = 1; round <= rounds; round++) {
                    flooded.add(load.flooded("flooded " + round, flooding.appId(), floodCredential, registryApi,
                            payloadBytes, rate, seconds));
                    quiet.add(load.measure("quiet " + (round + 1), rate, seconds));
                }
                report(flooded, quiet);
            }
        }
    }

    /**
     * Quiet runs, not compared, until two in a row agree on the end-to-end p99.
     *
     * @throws IllegalStateException when they still disagree after {@link #MAX_WARM_UP_RUNS}: the
     *                               machine is not quiet enough for a ratio to mean anything
     */
    private void warmUpUntilSteady(int rate, int seconds) throws InterruptedException {
        double previous = measure("warm-up run 1 (not compared)", rate, seconds).toWebSocket().millis(99);
        for (int run = 2; run <= MAX_WARM_UP_RUNS; run++) {
            double p99 = measure("warm-up run " + run + " (not compared)", rate, seconds).toWebSocket().millis(99);
            if (Math.abs(p99 - previous) <= WARM_UP_AGREEMENT * Math.max(p99, previous)) {
                System.out.printf(Locale.ROOT, "steady: the last two warm-up runs' end-to-end p99 agree within %.0f %% "
                        + "(%,.1f and %,.1f ms)%n", WARM_UP_AGREEMENT * 100, previous, p99);
                return;
            }
            previous = p99;
        }
        throw new IllegalStateException("the steady app's end-to-end p99 did not settle in " + MAX_WARM_UP_RUNS
                + " warm-up runs; is the machine quiet?");
    }

    /** Each flooded run against the mean of the quiet runs before and after it, and the median of those ratios. */
    private static void report(List<Phase> flooded, List<Phase> quiet) {
        Map<String, ToDoubleFunction<Phase>> measures = new LinkedHashMap<>();
        measures.put("send -> broker ack p50", phase -> phase.toAcknowledged().millis(50));
        measures.put("send -> broker ack p99", phase -> phase.toAcknowledged().millis(99));
        measures.put("send -> WebSocket p50", phase -> phase.toWebSocket().millis(50));
        measures.put("send -> WebSocket p99", phase -> phase.toWebSocket().millis(99));
        System.out.println("steady app, each flooded run / the mean of the quiet runs beside it (the issue's bar: within "
                + "1.20x):");
        measures.forEach((name, millis) -> {
            List<Double> ratios = new ArrayList<>();
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < flooded.size(); i++) {
                double beside = (millis.applyAsDouble(quiet.get(i)) + millis.applyAsDouble(quiet.get(i + 1))) / 2;
                double ratio = millis.applyAsDouble(flooded.get(i)) / beside;
                ratios.add(ratio);
                line.append(String.format(Locale.ROOT, "%s%.2fx (%,.1f / %,.1f ms)", i == 0 ? "" : ", ", ratio,
                        millis.applyAsDouble(flooded.get(i)), beside));
            }
            List<Double> sorted = ratios.stream().sorted().toList();
            double median = sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
                    : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
            System.out.printf(Locale.ROOT, "  %s: median %.2fx; %s%n", name, median, line);
        });
    }

    /** A run of the steady app while the other app floods, 10 s after the flood started; with what the flood got. */
    private Phase flooded(String name, String floodingApp, JsonNode credential, String registryApi, int payloadBytes,
                          int rate, int seconds) throws InterruptedException {
        try (Flood flood = Flood.start(floodingApp, credential, registryApi, payloadBytes)) {
            Thread.sleep(FLOOD_RAMP.toMillis());
            long bytesBefore = flood.ackedBytes();
            long recordsBefore = flood.ackedRecords();
            long start = System.nanoTime();
            Phase phase = measure(name, rate, seconds);
            double elapsed = (System.nanoTime() - start) / 1e9;
            double[] throttle = flood.throttleMillis();
            System.out.printf(Locale.ROOT, "  the flood meanwhile: %,.2f MiB/s acknowledged (%,.0f events/s of %,d payload "
                            + "bytes), brokers throttled its requests %.0f ms on average, at most %.0f ms; %,d sends "
                            + "failed%n", (flood.ackedBytes() - bytesBefore) / elapsed / (1 << 20),
                    (flood.ackedRecords() - recordsBefore) / elapsed, payloadBytes, throttle[0], throttle[1], flood.failed());
            return phase;
        }
    }

    /** One event per user until each has its notification (its CRM conversation exists, its topic is read). */
    private void warmUp() throws InterruptedException {
        long start = System.nanoTime();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < users.size(); i++) {
            String eventId = "warm-up-" + i;
            ids.add(eventId);
            deals.send(eventId, users.get(i), i);
        }
        // the routing consumer finds the app's new topic at its next metadata refresh
        int arrived = Arrivals.await(ids, eventId -> sockets.notifiedAt(eventId) != null, STALL.multipliedBy(2));
        if (arrived < ids.size()) {
            throw new IllegalStateException((ids.size() - arrived) + " users got no warm-up notification");
        }
        System.out.printf(Locale.ROOT, "warm-up: every user notified in %.1f s%n", (System.nanoTime() - start) / 1e9);
    }

    /** Open loop at {@code rate} events/s for {@code seconds}, each event to a random owner. */
    private Phase measure(String name, int rate, int seconds) throws InterruptedException {
        CpuUsage cpu = CpuUsage.start(bench.stack().processes());
        int total = rate * seconds;
        long interval = 1_000_000_000L / rate;
        String[] ids = new String[total];
        long[] sentAt = new long[total];
        AtomicLongArray acknowledgedAt = new AtomicLongArray(total); // written by the producer's I/O thread
        Random owners = new Random(42);
        long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
            LockSupport.parkNanos(start + i * interval - System.nanoTime());
            int index = i;
            ids[i] = name + "-" + i;
            sentAt[i] = System.nanoTime();
            deals.send(ids[i], users.get(owners.nextInt(users.size())), i, size -> acknowledgedAt.set(index, System.nanoTime()));
        }
        int arrived = Arrivals.await(List.of(ids), eventId -> sockets.notifiedAt(eventId) != null, STALL);
        List<Long> toAcknowledged = new ArrayList<>();
        List<Long> toWebSocket = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            if (acknowledgedAt.get(i) != 0) {
                toAcknowledged.add(acknowledgedAt.get(i) - sentAt[i]);
            }
            Long frame = sockets.notifiedAt(ids[i]);
            if (frame != null) {
                toWebSocket.add(frame - sentAt[i]);
            }
        }
        Phase phase = new Phase(Percentiles.of(toAcknowledged), Percentiles.of(toWebSocket));
        System.out.printf(Locale.ROOT, "%s: steady app at %,d events/s for %d s: send -> broker ack p50 %,.1f ms, "
                        + "p99 %,.1f ms, max %,.1f ms; send -> WebSocket p50 %,.1f ms, p99 %,.1f ms, max %,.1f ms; "
                        + "%,d of %,d arrived; %,d sends failed%n", name, rate, seconds,
                phase.toAcknowledged().millis(50), phase.toAcknowledged().millis(99), phase.toAcknowledged().maxMillis(),
                phase.toWebSocket().millis(50), phase.toWebSocket().millis(99), phase.toWebSocket().maxMillis(),
                arrived, total, deals.failedSends());
        System.out.println("  " + cpu.report());
        return phase;
    }
}
