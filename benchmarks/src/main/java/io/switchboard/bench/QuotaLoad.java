package io.switchboard.bench;

import io.switchboard.client.SwitchboardClient;
import org.apache.kafka.clients.producer.ProducerConfig;
import tools.jackson.databind.JsonNode;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
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
 *   <li>a first run that is not compared (the JVMs are still compiling then), then quiet and
 *       flooded runs in turn, quiet first and last, two flooded ones: while a second app's system
 *       floods its own topic as fast as its producer can, with events of
 *       {@code BENCH_FLOOD_PAYLOAD_BYTES} (16,384) bytes that match no rule, so only the brokers'
 *       quota on its credential ({@code producer_byte_rate}, 1 MiB/s by default) holds it back;</li>
 *   <li>the steady app's latencies flooded / quiet (the mean of each kind's runs), the flood's
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
    /** Flooded runs, each between two quiet ones. */
    private static final int ROUNDS = 2;

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
                // the JVMs are still compiling the path: a first run at the rate would flatter any later one
                load.measure("warm-up run (not compared)", rate, seconds);
                // quiet and flooded runs alternate, so what the JVMs still gain while warming is spread
                // over both kinds instead of favouring the later one
                List<Phase> quiet = new ArrayList<>();
                List<Phase> flooded = new ArrayList<>();
                for (int round = 1; round <= ROUNDS; round++) {
                    quiet.add(load.measure("quiet " + round, rate, seconds));
                    flooded.add(load.flooded("flooded " + round, flooding.appId(), floodCredential, registryApi,
                            payloadBytes, rate, seconds));
                }
                quiet.add(load.measure("quiet " + (ROUNDS + 1), rate, seconds));
                System.out.printf(Locale.ROOT, "steady app flooded / quiet (mean of each kind's runs): send -> broker ack "
                                + "p50 %s, p99 %s; send -> WebSocket p50 %s, p99 %s (the issue's bar: within 1.20x)%n",
                        ratio(flooded, quiet, phase -> phase.toAcknowledged().millis(50)),
                        ratio(flooded, quiet, phase -> phase.toAcknowledged().millis(99)),
                        ratio(flooded, quiet, phase -> phase.toWebSocket().millis(50)),
                        ratio(flooded, quiet, phase -> phase.toWebSocket().millis(99)));
            }
        }
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

    private static String ratio(List<Phase> flooded, List<Phase> quiet, ToDoubleFunction<Phase> millis) {
        double floodedMean = flooded.stream().mapToDouble(millis).average().orElseThrow();
        double quietMean = quiet.stream().mapToDouble(millis).average().orElseThrow();
        return String.format(Locale.ROOT, "%.2fx (%,.1f / %,.1f ms)", floodedMean / quietMean, floodedMean, quietMean);
    }
}
