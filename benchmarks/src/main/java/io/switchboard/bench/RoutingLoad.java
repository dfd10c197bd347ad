package io.switchboard.bench;

import io.switchboard.client.SwitchboardClient;
import io.switchboard.schemas.SystemConversations;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

/**
 * {@code ./switchboard bench routing}: business events routed end to end on this machine. Starts
 * the whole system (services on PostgreSQL, Kafka, the registry), creates an app with
 * {@code BENCH_USERS} users (1,000) each holding a WebSocket connection, and a rule that turns a
 * CRM's {@code deal.updated} into a card for the deal's owner ({@code payload.ownerId}); then:
 * <ol>
 *   <li>warm-up: one event per user, until each user has its notification (this also creates
 *       every user's system conversation for the CRM, which makes a first event slower);</li>
 *   <li>throughput: events produced as fast as routing takes them (at most {@code BENCH_IN_FLIGHT}
 *       produced and not yet routed) for {@code BENCH_SECONDS}, spread over the owners; an event
 *       counts once its notification is on {@code chat.messages} (stored and published);</li>
 *   <li>latency at {@code BENCH_RATE} events/s (1,000), open loop: each event to a random owner,
 *       from just before it is produced to the frame on that owner's WebSocket, p50/p99/max; if
 *       routing took fewer events/s than that above, once more at half the rate it took (a rate
 *       it holds, so the figures are not just the queue growing);</li>
 *   <li>Kafka's own EndToEndLatency on the same broker, and Switchboard's latency as a multiple
 *       of it.</li>
 * </ol>
 */
public final class RoutingLoad {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(60);
    /** How long a phase waits for more notifications once none arrive any more. */
    private static final Duration STALL = Duration.ofSeconds(30);
    private static final int WARM_UP_ROUNDS = 3;

    private final List<String> users;
    private final DealUpdates deals;
    private final PublishedMessages published;
    private final NotificationSockets sockets;
    private final BenchStack bench;
    private final AtomicInteger eventBytes = new AtomicInteger();

    private RoutingLoad(List<String> users, DealUpdates deals, PublishedMessages published, NotificationSockets sockets,
                        BenchStack bench) {
        this.users = users;
        this.deals = deals;
        this.published = published;
        this.sockets = sockets;
        this.bench = bench;
    }

    public static void main(String[] args) throws Exception {
        int seconds = BenchSettings.integer("BENCH_SECONDS", 30);
        int userCount = BenchSettings.integer("BENCH_USERS", 1000);
        int rate = BenchSettings.integer("BENCH_RATE", 1000);
        int inFlight = BenchSettings.integer("BENCH_IN_FLIGHT", 2000);
        int kafkaMessages = BenchSettings.integer("BENCH_KAFKA_MESSAGES", 10_000);
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        List<String> users = IntStream.range(0, userCount).mapToObj(i -> String.format(Locale.ROOT, "owner-%04d", i))
                .toList();
        try (BenchStack bench = BenchStack.start();
             PublishedMessages published = PublishedMessages.byOriginEventId(bench.stack().kafkaBootstrapServers(),
                     bench.stack().registry().registryApiUrl())) {
            long setupStart = System.nanoTime();
            SwitchboardClient.App app = bench.createApp("routing benchmark");
            List<String> userTokens = provision(bench.client(), app, users);
            try (NotificationSockets sockets = NotificationSockets.open(bench.client().endpoints().pushWebSocket(),
                    userTokens, CONNECT_TIMEOUT);
                 DealUpdates deals = new DealUpdates(app.appId(), bench.stack().kafkaBootstrapServers(),
                         bench.stack().registry().registryApiUrl())) {
                System.out.printf(Locale.ROOT, "routing: %,d users each with a WebSocket connection (ready %.1f s after "
                                + "the app was created); rule crm deal.updated -> payload.ownerId, a card with 2 fields "
                                + "and a link; services on PostgreSQL %s; Kafka, Apicurio, 4 services and this load "
                                + "generator on %d cores; load average before start %.1f%n", sockets.size(),
                        (System.nanoTime() - setupStart) / 1e9, BenchStack.databaseDescription(),
                        Runtime.getRuntime().availableProcessors(), loadBefore);
                RoutingLoad load = new RoutingLoad(users, deals, published, sockets, bench);
                load.warmUp();
                double routedPerSecond = load.throughput(seconds, inFlight);
                List<LatencyRun> runs = new ArrayList<>(List.of(load.latency(rate, seconds)));
                if (routedPerSecond < rate) {
                    // events came faster than routing takes them, so that latency is mostly the queue
                    // growing: measure also at a rate routing holds, half the rate it reached above
                    runs.add(load.latency((int) Math.max(1, routedPerSecond / 2), seconds));
                }
                load.compareWithKafka(runs, kafkaMessages);
            }
        }
    }

    /** Event → WebSocket latency measured at one rate. */
    private record LatencyRun(int rate, Percentiles toWebSocket) {
    }

    /** Imports the users, saves the rule and mints a token per user; returns each user's token. */
    private static List<String> provision(SwitchboardClient client, SwitchboardClient.App app, List<String> users)
            throws Exception {
        String appToken = client.appToken(app, "user-tokens:mint", "users:write", "routing:admin");
        client.importUsers(appToken, users);
        client.putRoutingRule(appToken, DealUpdates.RULE_ID, DealUpdates.RULE);
        return UserTokens.mint(client, appToken, users);
    }

    /**
     * One event per user, repeated for the users whose notification did not arrive: an event
     * routed before message-service's view of the users had them finds no one (reported, not
     * retried). A user is warm once its connection got the notification, or was told it joined
     * its system conversation and the notification was published (a client then pulls the
     * conversation's history: the new-member path of the push protocol).
     */
    private void warmUp() throws InterruptedException {
        long start = System.nanoTime();
        Map<String, String> cold = new LinkedHashMap<>();  // event id -> owner
        List<String> remaining = users;
        int live = 0;
        int round = 0;
        while (!remaining.isEmpty() && round < WARM_UP_ROUNDS) {
            round++;
            cold.clear();
            for (int i = 0; i < remaining.size(); i++) {
                String eventId = "warm-up-" + round + "-" + i;
                cold.put(eventId, remaining.get(i));
                deals.send(eventId, remaining.get(i), i, eventBytes::set);
            }
            Arrivals.await(cold.keySet(), eventId -> warm(eventId, cold.get(eventId)), STALL);
            live += (int) cold.keySet().stream().filter(eventId -> sockets.notifiedAt(eventId) != null).count();
            remaining = cold.entrySet().stream().filter(e -> !warm(e.getKey(), e.getValue())).map(Map.Entry::getValue)
                    .toList();
        }
        if (!remaining.isEmpty()) {
            throw new IllegalStateException(remaining.size() + " users got no notification after " + round
                    + " warm-up rounds, e.g. " + remaining.getFirst());
        }
        double warmUpSeconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "warm-up: %,d users' system conversations created and notified in %.1f s "
                        + "(%.2f s per user, %d round%s); %,d notifications pushed live, %,d announced by 'joined' "
                        + "(client pulls history)%n", users.size(), warmUpSeconds, warmUpSeconds / users.size(), round,
                round == 1 ? "" : "s", live, users.size() - live);
    }

    private boolean warm(String eventId, String owner) {
        return sockets.notifiedAt(eventId) != null || (published.at(eventId) != null
                && sockets.joined(SystemConversations.id(owner, "crm")));
    }

    /**
     * Produces as fast as routing takes the events, keeping at most {@code inFlight} produced and
     * not yet routed: enough to keep routing busy, few enough that the backlog drains soon after
     * (an unbounded producer would queue many minutes of work in Kafka and measure the producer).
     */
    private double throughput(int seconds, int inFlight) throws InterruptedException {
        CpuUsage cpu = CpuUsage.start(bench.stack().processes());
        List<String> ids = new ArrayList<>();
        int routedBefore = published.count();
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            if (ids.size() - (published.count() - routedBefore) >= inFlight) {
                Thread.sleep(1);
                continue;
            }
            String eventId = "throughput-" + ids.size();
            deals.send(eventId, users.get(ids.size() % users.size()), ids.size());
            ids.add(eventId);
        }
        double sendSeconds = (System.nanoTime() - start) / 1e9;
        int routed = Arrivals.await(ids, eventId -> published.at(eventId) != null, STALL);
        double routedSeconds = (last(ids, published::at) - start) / 1e9;
        int pushed = Arrivals.await(ids, eventId -> sockets.notifiedAt(eventId) != null, STALL);
        double pushedSeconds = (last(ids, sockets::notifiedAt) - start) / 1e9;
        System.out.printf(Locale.ROOT, "throughput: %,d events produced in %.1f s (%,.0f/s, at most %,d not yet routed); "
                        + "%,d routed (notification stored + published) %.1f s after the first send -> %,.0f events/s "
                        + "routed end to end; %,d pushed to WebSockets (%,.0f/s)%s%n",
                ids.size(), sendSeconds, ids.size() / sendSeconds, inFlight, routed, routedSeconds,
                routed / routedSeconds, pushed, pushed / pushedSeconds, failedSends());
        System.out.println("  " + cpu.report());
        return routed / routedSeconds;
    }

    /**
     * Open loop at {@code rate} events/s: each send is scheduled, and a send does not wait for the
     * broker, so a slow one delays no other. Latency runs from just before the send to the frame
     * on the owner's WebSocket.
     */
    private LatencyRun latency(int rate, int seconds) throws InterruptedException {
        CpuUsage cpu = CpuUsage.start(bench.stack().processes());
        int total = rate * seconds;
        long interval = 1_000_000_000L / rate;
        String[] ids = new String[total];
        long[] sentAt = new long[total];
        long maxLag = 0;
        Random owners = new Random(42);
        long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
            long due = start + i * interval;
            LockSupport.parkNanos(due - System.nanoTime());
            ids[i] = "latency-" + rate + "-" + i;
            sentAt[i] = System.nanoTime();
            maxLag = Math.max(maxLag, sentAt[i] - due);
            deals.send(ids[i], users.get(owners.nextInt(users.size())), i);
        }
        int arrived = Arrivals.await(List.of(ids), eventId -> sockets.notifiedAt(eventId) != null, STALL);
        List<Long> toSocket = new ArrayList<>();
        List<Long> toPublished = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            Long socket = sockets.notifiedAt(ids[i]);
            Long seen = published.at(ids[i]);
            if (socket != null) {
                toSocket.add(socket - sentAt[i]);
            }
            if (seen != null) {
                toPublished.add(seen - sentAt[i]);
            }
        }
        Percentiles e2e = Percentiles.of(toSocket);
        Percentiles publishing = Percentiles.of(toPublished);
        System.out.printf(Locale.ROOT, "latency at %,d events/s for %d s, each event to a random one of %,d owners: "
                        + "event produced -> WebSocket frame p50 %,.1f ms, p99 %,.1f ms, max %,.1f ms; %,d of %,d arrived%s "
                        + "(event produced -> published on chat.messages p50 %,.1f ms, p99 %,.1f ms; sends at most "
                        + "%.1f ms behind schedule)%n",
                rate, seconds, users.size(), e2e.millis(50), e2e.millis(99), e2e.maxMillis(), arrived, total,
                arrived == total ? "" : String.format(Locale.ROOT, " - %,d MISSING (%,d of all published)",
                        total - arrived, toPublished.size()),
                publishing.millis(50), publishing.millis(99), maxLag / 1e6);
        System.out.println("  " + cpu.report() + failedSends());
        return new LatencyRun(rate, e2e);
    }

    /** Kafka's EndToEndLatency on the same broker, now that the system is idle, with records the size of the events. */
    private void compareWithKafka(List<LatencyRun> runs, int messages) throws Exception {
        KafkaEndToEndLatency.Result kafka = KafkaEndToEndLatency.measure(bench.stack().kafkaBootstrapServers(),
                messages, eventBytes.get());
        System.out.printf(Locale.ROOT, "Kafka EndToEndLatency, same broker, %,d records of %d bytes (the Avro event's "
                        + "size), acks=all: p50 %d ms, p99 %d ms, p99.9 %d ms (whole ms, as the tool prints them; "
                        + "average %.2f ms)%n", kafka.messages(), kafka.messageBytes(), kafka.p50Millis(),
                kafka.p99Millis(), kafka.p999Millis(), kafka.averageMillis());
        for (LatencyRun run : runs) {
            System.out.printf(Locale.ROOT, "ratio Switchboard event -> WebSocket at %,d events/s / Kafka produce -> "
                            + "consume: p50 %s, p99 %s%n", run.rate(),
                    ratio(run.toWebSocket().millis(50), kafka.p50Millis()),
                    ratio(run.toWebSocket().millis(99), kafka.p99Millis()));
        }
    }

    /**
     * Switchboard's latency as a multiple of Kafka's. The tool truncates its percentiles to whole
     * milliseconds, so a printed k ms is anything in [k, k + 1) ms and the ratio is a range.
     */
    private static String ratio(double switchboardMillis, long kafkaMillis) {
        if (kafkaMillis == 0) {
            return String.format(Locale.ROOT, "over %s (%,.1f ms / under 1 ms)", times(switchboardMillis),
                    switchboardMillis);
        }
        return String.format(Locale.ROOT, "%s to %s (%,.1f ms / %d to %d ms)", times(switchboardMillis / (kafkaMillis + 1)),
                times(switchboardMillis / kafkaMillis), switchboardMillis, kafkaMillis, kafkaMillis + 1);
    }

    private static String times(double ratio) {
        return String.format(Locale.ROOT, ratio < 100 ? "%.1fx" : "%,.0fx", ratio);
    }

    /** Sends the broker refused or timed out, if any: their events can never arrive. */
    private String failedSends() {
        long failed = deals.failedSends();
        return failed == 0 ? "" : String.format(Locale.ROOT, "; %,d sends failed so far", failed);
    }

    private static long last(List<String> ids, java.util.function.Function<String, Long> at) {
        return ids.stream().map(at).filter(java.util.Objects::nonNull).mapToLong(Long::longValue).max().orElse(0);
    }
}
