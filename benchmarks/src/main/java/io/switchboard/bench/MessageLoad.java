package io.switchboard.bench;

import io.switchboard.client.Endpoints;
import io.switchboard.client.SwitchboardClient;
import io.switchboard.events.chat.ChatEventType;
import io.switchboard.events.chat.ChatMessageEvent;
import io.switchboard.schemas.RegistrySerde;
import io.switchboard.schemas.Topics;
import io.switchboard.stack.Net;
import io.switchboard.stack.Stack;
import io.switchboard.stack.StackService;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * {@code ./switchboard bench messages}: starts the whole system with every service on PostgreSQL
 * (a fresh schema each, dropped afterwards), Kafka and the registry, all on this machine, and
 * sends messages over HTTP with an app token:
 * <ol>
 *   <li>throughput, for 1, 100 and 10,000 conversations: {@code BENCH_CONCURRENCY} requests in
 *       flight for {@code BENCH_SECONDS}; a message counts once it is accepted (201, stored) and
 *       seen on {@code chat.messages} (published);</li>
 *   <li>latency at half the measured rate, open loop (sends are scheduled, so a slow response
 *       does not delay the next send): send → 201 and send → published, p50/p99;</li>
 *   <li>the same two for the batch API: 100 messages per request, 4 requests in flight.</li>
 * </ol>
 */
public final class MessageLoad {

    private static final JsonMapper JSON = JsonMapper.shared();
    private static final String MESSAGE =
            "{\"type\":\"TEXT\",\"text\":\"Status update: the deploy of build 4711 finished, all checks green.\"}";
    private static final int BATCH = 100;
    private static final int BATCH_CONCURRENCY = 4;
    private static final String PG_URL = System.getenv().getOrDefault("BENCH_PG_URL",
            "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String messagesUrl;
    private final String token;
    private final Published published;

    private MessageLoad(String messagesUrl, String token, Published published) {
        this.messagesUrl = messagesUrl;
        this.token = token;
        this.published = published;
    }

    public static void main(String[] args) throws Exception {
        int concurrency = Integer.parseInt(System.getenv().getOrDefault("BENCH_CONCURRENCY", "48"));
        int seconds = Integer.parseInt(System.getenv().getOrDefault("BENCH_SECONDS", "20"));
        String password = "bench-" + UUID.randomUUID();
        Map<StackService, String> schemas = new EnumMap<>(StackService.class);
        Map<StackService, Integer> ports = new EnumMap<>(StackService.class);
        for (StackService service : StackService.values()) {
            schemas.put(service, createSchema("bench_" + service.module().replace("-service", "")));
            ports.put(service, Net.freePort());
        }
        Path data = Files.createTempDirectory("switchboard-bench");
        try (Stack stack = Stack.start(new Stack.Config(Path.of(System.getProperty("switchboard.project.dir", ".")),
                data, Net.freePort(), Net.freePort(), Net.freePort(), ports, false,
                service -> Map.of("spring.datasource.url", PG_URL + "&currentSchema=" + schemas.get(service),
                        "spring.datasource.hikari.maximum-pool-size", "24"),
                password, jvmOptions(), Duration.ofMinutes(4)));
             SwitchboardClient client = new SwitchboardClient(new Endpoints(stack.url(StackService.AUTH),
                     stack.url(StackService.MEMBERSHIP), stack.url(StackService.MESSAGE), stack.url(StackService.PUSH),
                     stack.kafkaBootstrapServers(), stack.registry().registryApiUrl()));
             Published published = new Published(stack.kafkaBootstrapServers(), stack.registry().registryApiUrl())) {
            SwitchboardClient.App app = client.createApp(password, "message benchmark");
            client.setRequestRate(password, app.appId(), 100_000);
            Thread.sleep(1000); // the new rate reaches every service through auth.apps
            String token = client.appToken(app, "users:write", "conversations:write", "conversations:read",
                    "messages:write", "messages:read");
            client.importUsers(token, List.of("owner"));
            MessageLoad load = new MessageLoad(stack.url(StackService.MESSAGE), token, published);
            System.out.printf(Locale.ROOT, "message-service, membership, auth and push on PostgreSQL %s; Kafka and "
                    + "Apicurio co-located; %d requests in flight; %d cores%n", PG_URL.replaceAll("\\?.*", ""),
                    concurrency, Runtime.getRuntime().availableProcessors());
            int created = 0;
            for (int conversations : conversationCounts()) {
                created = createConversations(client, token, created, conversations);
                load.run(conversations, concurrency, 5, 1, false);
                double rate = load.run(conversations, concurrency, seconds, 1, true);
                load.latency(conversations, rate / 2, seconds, 1);
                load.run(conversations, BATCH_CONCURRENCY, 5, BATCH, false);
                double batchRate = load.run(conversations, BATCH_CONCURRENCY, seconds, BATCH, true);
                load.latency(conversations, batchRate / 2, seconds, BATCH);
            }
        } finally {
            schemas.values().forEach(MessageLoad::dropSchema);
        }
    }

    /** The conversation counts to run, {@code BENCH_CONVERSATIONS} (default 1,100,10000), ascending. */
    private static List<Integer> conversationCounts() {
        return java.util.Arrays.stream(System.getenv().getOrDefault("BENCH_CONVERSATIONS", "1,100,10000").split(","))
                .map(String::trim).map(Integer::parseInt).sorted().toList();
    }

    /** The services' JVM options; {@code BENCH_JVM_OPTIONS} adds some, e.g. a flight recording to profile them. */
    private static List<String> jvmOptions() {
        List<String> options = new ArrayList<>(List.of("-Xmx768m"));
        String extra = System.getenv("BENCH_JVM_OPTIONS");
        if (extra != null && !extra.isBlank()) {
            options.addAll(List.of(extra.trim().split("\\s+")));
        }
        return options;
    }

    /** Sends as fast as {@code concurrency} requests in flight allow, {@code batch} messages per
     * request (1: the single-message API; more: {@code POST /v1/messages/batch}); returns messages/s
     * stored and published.
     */
    private double run(int conversations, int concurrency, int seconds, int batch, boolean report) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong accepted = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        List<String> ids = Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < concurrency; w++) {
                int worker = w;
                workers.submit(() -> {
                    for (int i = 0; running.get(); i++) {
                        List<String> targets = new ArrayList<>(batch);
                        for (int m = 0; m < batch; m++) {
                            targets.add("c" + ((worker + (i * batch + m) * concurrency) % conversations));
                        }
                        List<String> messageIds = batch == 1 ? single(send(targets.getFirst())) : sendBatch(targets);
                        refused.addAndGet(batch - messageIds.size());
                        accepted.addAndGet(messageIds.size());
                        ids.addAll(messageIds);
                    }
                    return null;
                });
            }
            Thread.sleep(seconds * 1000L);
            running.set(false);
        }
        double sendSeconds = (System.nanoTime() - start) / 1e9;
        long lastPublished = published.awaitAll(ids, Duration.ofSeconds(120));
        double allPublishedSeconds = (lastPublished - start) / 1e9;
        if (report) {
            System.out.printf(Locale.ROOT, "%,6d conversations, %s: %,.0f msg/s accepted (stored); %,d messages all "
                            + "published %.1f s after the first send -> %,.0f msg/s accepted + stored + published"
                            + "%s%n", conversations, batch == 1 ? "one message per request" : batch + " per batch request, "
                            + concurrency + " in flight", accepted.get() / sendSeconds, ids.size(), allPublishedSeconds,
                    ids.size() / allPublishedSeconds, refused.get() > 0 ? " (" + refused.get() + " refused)" : "");
        }
        return ids.size() / allPublishedSeconds;
    }

    /**
     * Open-loop sends at {@code rate} messages/s, {@code batch} per request; prints request -> stored
     * (response) and request -> published percentiles, per message.
     */
    private void latency(int conversations, double rate, int seconds, int batch) throws Exception {
        double requestsPerSecond = rate / batch;
        long intervalNanos = (long) (1e9 / requestsPerSecond);
        int total = (int) (requestsPerSecond * seconds);
        long[] accepted = new long[total];
        List<List<String>> ids = new ArrayList<>(Collections.nCopies(total, List.of()));
        long[] scheduled = new long[total];
        Semaphore cap = new Semaphore(2000);
        long start = System.nanoTime();
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < total; i++) {
                long due = start + i * intervalNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                cap.acquire();
                int index = i;
                scheduled[i] = due;
                senders.submit(() -> {
                    try {
                        List<String> targets = IntStream.range(0, batch)
                                .mapToObj(m -> "c" + ((index * batch + m) % conversations)).toList();
                        ids.set(index, batch == 1 ? single(send(targets.getFirst())) : sendBatch(targets));
                        accepted[index] = System.nanoTime();
                    } finally {
                        cap.release();
                    }
                    return null;
                });
            }
        }
        List<String> sent = ids.stream().flatMap(List::stream).toList();
        published.awaitAll(sent, Duration.ofSeconds(120));
        List<Long> toAccepted = new ArrayList<>();
        List<Long> toPublished = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            for (String id : ids.get(i)) {
                toAccepted.add(accepted[i] - scheduled[i]);
                toPublished.add(published.at(id) - scheduled[i]);
            }
        }
        System.out.printf(Locale.ROOT, "%,6d conversations at %,.0f msg/s (half the rate above), %s, %,d messages: "
                        + "request -> stored p50 %.1f ms p99 %.1f ms; request -> published p50 %.1f ms p99 %.1f ms%n",
                conversations, rate, batch == 1 ? "one per request" : batch + " per batch request", sent.size(),
                percentile(toAccepted, 50), percentile(toAccepted, 99), percentile(toPublished, 50),
                percentile(toPublished, 99));
    }

    private static List<String> single(String messageId) {
        return messageId == null ? List.of() : List.of(messageId);
    }

    /** Sends one batch request; returns the ids of the messages it stored. */
    private List<String> sendBatch(List<String> conversationIds) {
        StringBuilder body = new StringBuilder("{\"messages\":[");
        for (int i = 0; i < conversationIds.size(); i++) {
            body.append(i == 0 ? "" : ",").append("{\"conversationId\":\"").append(conversationIds.get(i))
                    .append("\",\"idempotencyKey\":\"").append(UUID.randomUUID()).append("\",\"message\":")
                    .append(MESSAGE).append('}');
        }
        body.append("]}");
        HttpRequest request = HttpRequest.newBuilder(URI.create(messagesUrl + "/v1/messages/batch"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .timeout(Duration.ofSeconds(60))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return List.of();
            }
            List<String> ids = new ArrayList<>();
            JSON.readTree(response.body()).get("results").forEach(result -> {
                if (result.get("status").asInt() == 201) {
                    ids.add(result.get("message").get("messageId").asString());
                }
            });
            return ids;
        } catch (Exception e) {
            return List.of();
        }
    }

    /** Sends one text message as the app; returns its id, or null if it was refused. */
    private String send(String conversationId) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(messagesUrl + "/v1/conversations/" + conversationId
                        + "/messages"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString(MESSAGE))
                .timeout(Duration.ofSeconds(30))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 201) {
                return null;
            }
            JsonNode body = JSON.readTree(response.body());
            return body.get("messageId").asString();
        } catch (Exception e) {
            return null;
        }
    }

    private static int createConversations(SwitchboardClient client, String token, int from, int to) throws Exception {
        try (ExecutorService workers = Executors.newFixedThreadPool(8)) {
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            IntStream.range(from, to).forEach(i -> done.add(workers.submit(() ->
                    client.createGroup(token, "c" + i, "Load " + i, List.of("owner")))));
            for (var future : done) {
                future.get();
            }
        }
        // message-service must see the last one before it accepts messages there
        Thread.sleep(2000);
        return to;
    }

    private static String createSchema(String prefix) throws Exception {
        String schema = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        try (Connection connection = DriverManager.getConnection(PG_URL); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        }
        return schema;
    }

    private static void dropSchema(String schema) {
        try (Connection connection = DriverManager.getConnection(PG_URL); Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (Exception e) {
            System.err.println("could not drop schema " + schema + ": " + e.getMessage());
        }
    }

    private static double percentile(List<Long> nanos, int p) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        int index = Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1);
        return sorted.isEmpty() ? Double.NaN : sorted.get(Math.max(0, index)) / 1e6;
    }

    /** Watches {@code chat.messages} from the end and notes when each message was published (seen). */
    private static final class Published implements AutoCloseable {
        private final Map<String, Long> seenAt = new ConcurrentHashMap<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread poller;

        Published(String bootstrap, String registryApi) {
            Map<String, Object> properties = new HashMap<>(RegistrySerde.consumerProperties(registryApi));
            properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            KafkaConsumer<String, ChatMessageEvent> consumer = new KafkaConsumer<>(properties);
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.CHAT_MESSAGES.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            poller = Thread.ofPlatform().name("published-watcher").start(() -> {
                try (consumer) {
                    while (running.get()) {
                        for (ConsumerRecord<String, ChatMessageEvent> record : consumer.poll(Duration.ofMillis(100))) {
                            if (record.value() != null && record.value().getType() == ChatEventType.MESSAGE_CREATED) {
                                seenAt.putIfAbsent(record.value().getMessage().getMessageId(), System.nanoTime());
                            }
                        }
                    }
                }
            });
        }

        /** Waits until every message was seen; returns when the last of them was. */
        long awaitAll(List<String> messageIds, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                long last = 0;
                boolean all = true;
                for (String id : messageIds) {
                    Long at = seenAt.get(id);
                    if (at == null) {
                        all = false;
                        break;
                    }
                    last = Math.max(last, at);
                }
                if (all) {
                    return last;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("not every accepted message was published within " + timeout);
                }
                Thread.sleep(50);
            }
        }

        long at(String messageId) {
            return seenAt.get(messageId);
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            poller.join();
        }
    }
}
