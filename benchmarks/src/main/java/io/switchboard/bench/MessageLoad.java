package io.switchboard.bench;

import io.switchboard.client.SwitchboardClient;
import io.switchboard.stack.StackService;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
    private static final String TEXT = "Status update: the deploy of build 4711 finished, all checks green.";
    private static final String MESSAGE = "{\"type\":\"TEXT\",\"text\":\"" + TEXT + "\"}";
    private static final int BATCH = 100;
    private static final int BATCH_CONCURRENCY = 4;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String messagesUrl;
    private final String token;
    private final PublishedMessages published;
    private final MessageSender sender;

    private MessageLoad(String messagesUrl, String token, PublishedMessages published) {
        this.messagesUrl = messagesUrl;
        this.token = token;
        this.published = published;
        this.sender = new MessageSender(messagesUrl, token);
    }

    public static void main(String[] args) throws Exception {
        int concurrency = Integer.parseInt(System.getenv().getOrDefault("BENCH_CONCURRENCY", "48"));
        int seconds = Integer.parseInt(System.getenv().getOrDefault("BENCH_SECONDS", "20"));
        try (BenchStack bench = BenchStack.start();
             PublishedMessages published = PublishedMessages.byMessageId(bench.stack().kafkaBootstrapServers(),
                     bench.stack().registry().registryApiUrl())) {
            SwitchboardClient client = bench.client();
            SwitchboardClient.App app = bench.createApp("message benchmark");
            String token = client.appToken(app, "users:write", "conversations:write", "conversations:read",
                    "messages:write", "messages:read");
            client.importUsers(token, List.of("owner"));
            MessageLoad load = new MessageLoad(bench.stack().url(StackService.MESSAGE), token, published);
            System.out.printf(Locale.ROOT, "message-service, membership, auth and push on PostgreSQL %s; Kafka and "
                    + "Apicurio co-located; %d requests in flight; %d cores%n", BenchStack.databaseDescription(),
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
        }
    }

    /** The conversation counts to run, {@code BENCH_CONVERSATIONS} (default 1,100,10000), ascending. */
    private static List<Integer> conversationCounts() {
        return java.util.Arrays.stream(System.getenv().getOrDefault("BENCH_CONVERSATIONS", "1,100,10000").split(","))
                .map(String::trim).map(Integer::parseInt).sorted().toList();
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
                        List<String> messageIds = batch == 1 ? single(sender.sendText(targets.getFirst(), TEXT))
                                : sendBatch(targets);
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
        int total = (int) (requestsPerSecond * seconds);
        long[] accepted = new long[total];
        List<List<String>> ids = new ArrayList<>(Collections.nCopies(total, List.of()));
        long[] scheduled = new long[total];
        OpenLoop.run(requestsPerSecond, total, 2000, (index, due) -> {
            scheduled[index] = due;
            List<String> targets = IntStream.range(0, batch)
                    .mapToObj(m -> "c" + ((index * batch + m) % conversations)).toList();
            ids.set(index, batch == 1 ? single(sender.sendText(targets.getFirst(), TEXT)) : sendBatch(targets));
            accepted[index] = System.nanoTime();
        });
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
        Percentiles stored = Percentiles.of(toAccepted);
        Percentiles seen = Percentiles.of(toPublished);
        System.out.printf(Locale.ROOT, "%,6d conversations at %,.0f msg/s (half the rate above), %s, %,d messages: "
                        + "request -> stored p50 %.1f ms p99 %.1f ms; request -> published p50 %.1f ms p99 %.1f ms%n",
                conversations, rate, batch == 1 ? "one per request" : batch + " per batch request", sent.size(),
                stored.millis(50), stored.millis(99), seen.millis(50), seen.millis(99));
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
}
