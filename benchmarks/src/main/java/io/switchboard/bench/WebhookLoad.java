package io.switchboard.bench;

import com.sun.net.httpserver.HttpServer;
import io.switchboard.client.SwitchboardClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 *       accepts connections and never answers.</li>
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
                isolation.sendAtRate(rate, seconds);
                awaitArrivals(List.of(alone), rate * seconds, Duration.ofMinutes(2));
                report("one fast endpoint alone", alone, rate, seconds);

                alone.reset();
                isolation.register(isolationApp, hanging);
                isolation.sendAtRate(rate, seconds);
                awaitArrivals(List.of(alone), rate * seconds, Duration.ofMinutes(2));
                report("the same beside one that never answers", alone, rate, seconds);
                System.out.printf(Locale.ROOT, "  the hanging endpoint was sent %d requests (its bulkhead holds at most 4 "
                        + "at once; its breaker opens after 5 timeouts)%n", hanging.arrivals());
            }
        }
    }

    private static WebhookLoad prepare(SwitchboardClient client, SwitchboardClient.App app) {
        String appToken = client.appToken(app, "user-tokens:mint", "users:write", "conversations:write", "webhooks:admin");
        client.importUsers(appToken, List.of("sender", BOT));
        client.createGroup(appToken, ROOM, "Webhook benchmark", List.of("sender", BOT));
        return new WebhookLoad(client, client.userToken(appToken, "sender"));
    }

    private void register(SwitchboardClient.App app, Receiver receiver) {
        String appToken = client.appToken(app, "webhooks:admin");
        client.registerWebhook(appToken, receiver.url(), List.of("message.created"), BOT);
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
        receivers.forEach(r -> all.addAll(r.latencies));
        return Percentiles.of(all);
    }

    private static void report(String what, Receiver receiver, int rate, int seconds) {
        Percentiles latency = Percentiles.of(receiver.latencies);
        System.out.printf(Locale.ROOT, "isolation, %s: %d messages at %d/s; message stored -> endpoint p50 %.0f ms, "
                + "p99 %.0f ms, max %.0f ms%n", what, rate * seconds, rate, latency.millis(50), latency.millis(99),
                latency.maxMillis());
    }

    /** An app's endpoint: a JDK HTTP server on loopback that answers at once, or never. */
    private static final class Receiver implements AutoCloseable {

        private final HttpServer server;
        private final Queue<Long> latencies = new ConcurrentLinkedQueue<>();
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
                latencies.add(Duration.between(occurred, Instant.now()).toNanos());
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

        void reset() {
            latencies.clear();
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
