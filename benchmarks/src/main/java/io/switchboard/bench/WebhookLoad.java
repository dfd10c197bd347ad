package io.switchboard.bench;

import com.sun.net.httpserver.HttpServer;
import io.switchboard.client.SwitchboardClient;
import io.switchboard.schemas.webhooks.WebhookSignature;
import io.switchboard.stack.StackService;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ./switchboard bench webhooks}: starts the whole system on PostgreSQL (fresh schemas,
 * dropped afterwards), Kafka and the registry on this machine, and measures push-service's
 * webhook deliveries to endpoints that are real HTTP servers on loopback:
 * <ol>
 *   <li>throughput: {@code BENCH_ENDPOINTS} fast endpoints (answer 204 at once) subscribed to
 *       {@code message.created} of a bot user; {@code BENCH_MESSAGES} messages are sent to the bot's
 *       group as fast as {@code BENCH_CONCURRENCY} requests in flight allow; deliveries/s from the
 *       first to the last arrival, and the latency from the message's {@code occurredAt} (stored)
 *       to its arrival at an endpoint;</li>
 *   <li>isolation: at {@code BENCH_RATE} messages/s for {@code BENCH_SECONDS}, the latency of one
 *       fast endpoint alone, then the same with an endpoint beside it (same app, same events) that
 *       accepts connections and never answers, and once more after that endpoint was given a backlog of
 *       {@code BENCH_BACKLOG} deliveries due before any of the fast one's and its circuit held open
 *       (an endpoint down for hours).</li>
 * </ol>
 */
public final class WebhookLoad {

    private static final JsonMapper JSON = JsonMapper.shared();
    private static final String BOT = "bench-bot";
    private static final String ROOM = "webhook-bench";

    private final SwitchboardClient client;
    private final String userToken;

    private WebhookLoad(SwitchboardClient client, String userToken) {
        this.client = client;
        this.userToken = userToken;
    }

    public static void main(String[] args) throws Exception {
        int endpoints = Integer.parseInt(System.getenv().getOrDefault("BENCH_ENDPOINTS", "10"));
        int messages = Integer.parseInt(System.getenv().getOrDefault("BENCH_MESSAGES", "2000"));
        int concurrency = Integer.parseInt(System.getenv().getOrDefault("BENCH_CONCURRENCY", "32"));
        int rate = Integer.parseInt(System.getenv().getOrDefault("BENCH_RATE", "100"));
        int seconds = Integer.parseInt(System.getenv().getOrDefault("BENCH_SECONDS", "20"));
        int backlog = Integer.parseInt(System.getenv().getOrDefault("BENCH_BACKLOG", "200000"));
        try (BenchStack bench = BenchStack.start()) {
            SwitchboardClient client = bench.client();
            System.out.printf(Locale.ROOT, "push-service and the rest on PostgreSQL %s; Kafka, Apicurio and the endpoints "
                    + "co-located; %d cores%n", BenchStack.databaseDescription(), Runtime.getRuntime().availableProcessors());

            SwitchboardClient.App throughputApp = bench.createApp("webhook throughput");
            WebhookLoad throughput = prepare(client, throughputApp);
            List<Receiver> fast = new ArrayList<>();
            for (int i = 0; i < endpoints; i++) {
                Receiver receiver = Receiver.fast();
                fast.add(receiver);
                throughput.register(throughputApp, receiver);
            }
            throughput.sendAsFastAsPossible(50, concurrency);   // warm-up
            awaitArrivals(fast, 50, Duration.ofMinutes(1));
            fast.forEach(Receiver::reset);
            long started = System.nanoTime();
            throughput.sendAsFastAsPossible(messages, concurrency);
            double sendSeconds = (System.nanoTime() - started) / 1e9;
            awaitArrivals(fast, messages, Duration.ofMinutes(5));
            long first = fast.stream().mapToLong(Receiver::firstArrivalNanos).min().orElseThrow();
            long last = fast.stream().mapToLong(Receiver::lastArrivalNanos).max().orElseThrow();
            long deliveries = (long) messages * endpoints;
            System.out.printf(Locale.ROOT, "%nthroughput: %d messages (sent at %.0f/s) x %d endpoints = %d deliveries: "
                            + "%.0f deliveries/s (first to last arrival, %.1f s); message stored -> endpoint p50 %.0f ms, "
                            + "p99 %.0f ms%n", messages, messages / sendSeconds, endpoints, deliveries,
                    deliveries / ((last - first) / 1e9), (last - first) / 1e9, latencies(fast).millis(50),
                    latencies(fast).millis(99));
            fast.forEach(Receiver::close);

            SwitchboardClient.App isolationApp = bench.createApp("webhook isolation");
            WebhookLoad isolation = prepare(client, isolationApp);
            try (Receiver alone = Receiver.fast(); Receiver hanging = Receiver.hanging()) {
                isolation.register(isolationApp, alone);
                isolation.isolationPhase(bench, alone, rate, seconds, "one fast endpoint alone");

                isolation.register(isolationApp, hanging);
                isolation.isolationPhase(bench, alone, rate, seconds, "the same beside one that never answers");
                System.out.printf(Locale.ROOT, "  the hanging endpoint was sent %d requests (its bulkhead holds at most 4 "
                        + "at once; its breaker opens after 5 timeouts)%n", hanging.arrivals());

                if (backlog > 0) {
                    seedBacklog(bench, hanging, backlog);
                    isolation.isolationPhase(bench, alone, rate, seconds, "the same beside it with "
                            + String.format(Locale.ROOT, "%,d", backlog) + " deliveries pending, due before any of the fast one's");
                }
            }
        }
    }

    /** Sends at {@code rate} for {@code seconds}, then reports the fast endpoint's latency and its stages. */
    private void isolationPhase(BenchStack bench, Receiver fast, int rate, int seconds, String what)
            throws InterruptedException, java.sql.SQLException {
        fast.reset();
        sendAtRate(rate, seconds);
        awaitArrivals(List.of(fast), rate * seconds, Duration.ofMinutes(2));
        report(what, fast, rate, seconds);
        reportStages(bench, fast);
    }

    private static WebhookLoad prepare(SwitchboardClient client, SwitchboardClient.App app) {
        String appToken = client.appToken(app, "user-tokens:mint", "users:write", "conversations:write", "webhooks:admin");
        client.importUsers(appToken, List.of("sender", BOT));
        client.createGroup(appToken, ROOM, "Webhook benchmark", List.of("sender", BOT));
        return new WebhookLoad(client, client.userToken(appToken, "sender"));
    }

    private void register(SwitchboardClient.App app, Receiver receiver) {
        String appToken = client.appToken(app, "webhooks:admin");
        receiver.endpointId = client.registerWebhook(appToken, receiver.url(), List.of("message.created"), BOT).endpointId();
    }

    private void sendAsFastAsPossible(int count, int concurrency) throws InterruptedException {
        Semaphore inFlight = new Semaphore(concurrency);
        CountDownLatch done = new CountDownLatch(count);
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                inFlight.acquire();
                senders.execute(() -> {
                    try {
                        send();
                    } finally {
                        inFlight.release();
                        done.countDown();
                    }
                });
            }
            done.await();
        }
    }

    /** Open loop: sends are scheduled, so a slow answer does not delay the next one. */
    private void sendAtRate(int perSecond, int seconds) throws InterruptedException {
        long interval = 1_000_000_000L / perSecond;
        long start = System.nanoTime();
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < perSecond * seconds; i++) {
                long due = start + i * interval;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                senders.execute(this::send);
            }
        }
    }

    private void send() {
        SwitchboardClient.Reply reply = client.sendText(userToken, ROOM, "Build 4711 deployed", UUID.randomUUID().toString());
        if (reply.status() != 201) {
            throw new IllegalStateException("send failed: HTTP " + reply.status() + " " + reply.body());
        }
    }

    private static void awaitArrivals(List<Receiver> receivers, int each, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (receivers.stream().anyMatch(r -> r.arrivals() < each)) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("only " + receivers.stream().mapToLong(Receiver::arrivals).sum()
                        + " of " + (long) each * receivers.size() + " deliveries arrived within " + timeout);
            }
            Thread.sleep(50);
        }
    }

    private static Percentiles latencies(List<Receiver> receivers) {
        List<Long> all = new ArrayList<>();
        receivers.forEach(r -> all.addAll(r.latencies()));
        return Percentiles.of(all);
    }

    private static void report(String what, Receiver receiver, int rate, int seconds) {
        Percentiles latency = Percentiles.of(receiver.latencies());
        System.out.printf(Locale.ROOT, "isolation, %s: %d messages at %d/s; message stored -> endpoint p50 %.0f ms, "
                + "p99 %.0f ms, max %.0f ms%n", what, rate * seconds, rate, latency.millis(50), latency.millis(99),
                latency.maxMillis());
    }

    /**
     * Gives the hanging endpoint a backlog, as if it had been down for hours: copies of one of its
     * recorded deliveries, all due an hour ago, and its circuit held open for the next hour, as
     * a breaker that keeps failing its trials holds it. (The copies' bodies are sealed for the
     * delivery they were copied from: claimed, they would be dead-lettered as undecryptable; held
     * off, they are never claimed. What is measured is what the backlog costs the other endpoint.)
     */
    private static void seedBacklog(BenchStack bench, Receiver hanging, int count) throws java.sql.SQLException {
        try (Connection db = bench.connection(StackService.PUSH);
             PreparedStatement holdOpen = db.prepareStatement("UPDATE webhook_endpoints "
                     + "SET circuit_open_until = now() + interval '1 hour' WHERE endpoint_id = ?");
             PreparedStatement insert = db.prepareStatement("INSERT INTO webhook_deliveries (delivery_id, app_id, "
                     + "endpoint_id, event_id, event_type, payload, status, attempts, attempt_limit, next_attempt_at, "
                     + "created_at) SELECT 'backlog-' || n, app_id, endpoint_id, 'backlog-' || n, event_type, payload, "
                     + "'PENDING', 0, attempt_limit, now() - interval '1 hour', now() - interval '1 hour' "
                     + "FROM (SELECT * FROM webhook_deliveries WHERE endpoint_id = ? LIMIT 1) one, generate_series(1, ?) n");
             Statement analyze = db.createStatement()) {
            insert.setString(1, hanging.endpointId);
            insert.setInt(2, count);
            long started = System.nanoTime();
            insert.executeUpdate();
            analyze.execute("ANALYZE webhook_deliveries");
            holdOpen.setString(1, hanging.endpointId);
            holdOpen.executeUpdate();
            System.out.printf(Locale.ROOT, "  seeded %,d pending deliveries of the hanging endpoint, due an hour ago, "
                    + "in %.1f s%n", count, (System.nanoTime() - started) / 1e9);
        }
    }

    /**
     * Where the time of the receiver's deliveries went, from what push-service stored of each
     * (all clocks are this machine's): stored -> recorded (Kafka and the recording consumer),
     * recorded -> the attempt that arrived started (the dispatcher's claim), started -> arrived (HTTP).
     */
    private static void reportStages(BenchStack bench, Receiver receiver) throws java.sql.SQLException {
        Map<String, Arrival> byDelivery = new HashMap<>();
        receiver.received.forEach(arrival -> byDelivery.put(arrival.deliveryId() + "/" + arrival.attempt(), arrival));
        List<Long> recording = new ArrayList<>();
        List<Long> claiming = new ArrayList<>();
        List<Long> sending = new ArrayList<>();
        try (Connection db = bench.connection(StackService.PUSH);
             PreparedStatement query = db.prepareStatement("SELECT d.delivery_id, a.attempt, d.created_at, a.started_at "
                     + "FROM webhook_deliveries d JOIN webhook_attempts a ON a.delivery_id = d.delivery_id "
                     + "WHERE d.endpoint_id = ?")) {
            query.setString(1, receiver.endpointId);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    Arrival arrival = byDelivery.get(rows.getString(1) + "/" + rows.getInt(2));
                    if (arrival == null) {
                        continue;   // an earlier phase's delivery
                    }
                    Instant recorded = rows.getTimestamp(3).toInstant();
                    Instant started = rows.getTimestamp(4).toInstant();
                    recording.add(Duration.between(arrival.occurred(), recorded).toNanos());
                    claiming.add(Duration.between(recorded, started).toNanos());
                    sending.add(Duration.between(started, arrival.arrived()).toNanos());
                }
            }
        }
        System.out.printf(Locale.ROOT, "  stages of %d deliveries: %s; %s; %s%n", claiming.size(),
                stage("stored -> recorded", recording), stage("recorded -> attempt started", claiming),
                stage("started -> arrived", sending));
    }

    private static String stage(String name, List<Long> nanos) {
        Percentiles p = Percentiles.of(nanos);
        return String.format(Locale.ROOT, "%s p50 %.0f ms, p99 %.0f ms, max %.0f ms", name, p.millis(50), p.millis(99),
                p.maxMillis());
    }

    /** One request an endpoint received. */
    private record Arrival(String deliveryId, int attempt, Instant occurred, Instant arrived) {
    }

    /** An app's endpoint: a JDK HTTP server on loopback that answers at once, or never. */
    private static final class Receiver implements AutoCloseable {

        private final HttpServer server;
        private final Queue<Arrival> received = new ConcurrentLinkedQueue<>();
        private volatile String endpointId;
        private final AtomicLong arrivals = new AtomicLong();
        private final AtomicLong first = new AtomicLong(Long.MAX_VALUE);
        private final AtomicLong last = new AtomicLong();
        private final CountDownLatch closed = new CountDownLatch(1);

        private Receiver(boolean answer) throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                long now = System.nanoTime();
                arrivals.incrementAndGet();
                first.accumulateAndGet(now, Math::min);
                last.accumulateAndGet(now, Math::max);
                JsonNode event = JSON.readTree(body);
                Instant occurred = Instant.parse(event.get("occurredAt").asString());
                Instant arrived = Instant.now();
                received.add(new Arrival(exchange.getRequestHeaders().getFirst(WebhookSignature.ID_HEADER),
                        Integer.parseInt(exchange.getRequestHeaders().getFirst(WebhookSignature.ATTEMPT_HEADER)), occurred,
                        arrived));
                if (!answer) {
                    try {
                        closed.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
            server.start();
        }

        static Receiver fast() throws IOException {
            return new Receiver(true);
        }

        static Receiver hanging() throws IOException {
            return new Receiver(false);
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/webhooks";
        }

        long arrivals() {
            return arrivals.get();
        }

        long firstArrivalNanos() {
            return first.get();
        }

        long lastArrivalNanos() {
            return last.get();
        }

        /** From each message being stored ({@code occurredAt}) to its arrival here, in nanoseconds. */
        List<Long> latencies() {
            return received.stream().map(a -> Duration.between(a.occurred(), a.arrived()).toNanos()).toList();
        }

        void reset() {
            received.clear();
            arrivals.set(0);
            first.set(Long.MAX_VALUE);
            last.set(0);
        }

        @Override
        public void close() {
            closed.countDown();
            server.stop(0);
        }
    }
}
