package io.switchboard.platform.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.switchboard.schemas.webhooks.WebhookSignature;
import io.switchboard.schemas.webhooks.WebhookSignature.Verification;
import org.awaitility.Awaitility;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A receiving app's webhook endpoint: a real HTTP server on loopback that verifies every
 * request's signature with the secrets it holds (as an app would, with {@link WebhookSignature}),
 * records it, and answers as it is told: 2xx, an error for the first N requests or for ever, or
 * never (it hangs until closed).
 */
public final class TestWebhookEndpoint implements AutoCloseable {

    /** A request as it arrived, and whether its signature verified. */
    public record Received(Instant at, Map<String, String> headers, byte[] body, Verification verification) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public String deliveryId() {
            return header(WebhookSignature.ID_HEADER);
        }

        public int attempt() {
            return Integer.parseInt(header(WebhookSignature.ATTEMPT_HEADER));
        }
    }

    private static final int FAILURE_STATUS = 500;

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile List<String> secrets = List.of();
    private volatile int failFirst;
    private volatile boolean hang;
    private volatile String answer = "";

    private TestWebhookEndpoint() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    /** Answers 200 to everything. */
    public static TestWebhookEndpoint healthy() {
        return new TestWebhookEndpoint();
    }

    /** Answers 500 to the first {@code n} requests, then 200. */
    public static TestWebhookEndpoint failingFirst(int n) {
        TestWebhookEndpoint endpoint = new TestWebhookEndpoint();
        endpoint.failFirst = n;
        return endpoint;
    }

    /** Answers 500 to every request, until told otherwise. */
    public static TestWebhookEndpoint failingForever() {
        return failingFirst(Integer.MAX_VALUE);
    }

    /** Never answers: holds every request until it is closed. */
    public static TestWebhookEndpoint hanging() {
        TestWebhookEndpoint endpoint = new TestWebhookEndpoint();
        endpoint.hang = true;
        return endpoint;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/switchboard";
    }

    /** The secrets it verifies with (what the app was given at registration or rotation). */
    public TestWebhookEndpoint verifyingWith(String... secrets) {
        this.secrets = List.of(secrets);
        return this;
    }

    /** From now on, answers 200 (with {@code body}). */
    public void recover(String body) {
        failFirst = 0;
        answer = body;
    }

    public void recover() {
        recover("");
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    /** Requests that arrived, answered or not. */
    public int requests() {
        return requests.get();
    }

    /** The first request received that matches, waiting up to {@code timeout}. */
    public Received await(Predicate<Received> wanted, Duration timeout) {
        return Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(20))
                .until(() -> received.stream().filter(wanted).findFirst(), java.util.Optional::isPresent).orElseThrow();
    }

    /** Waits until {@code count} requests were received and returns them. */
    public List<Received> awaitCount(int count, Duration timeout) {
        Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(20)).until(() -> received.size() >= count);
        return received();
    }

    private void handle(HttpExchange exchange) throws IOException {
        int number = requests.incrementAndGet();
        byte[] body = exchange.getRequestBody().readAllBytes();
        Map<String, String> headers = exchange.getRequestHeaders().entrySet().stream().collect(Collectors.toMap(
                e -> e.getKey().toLowerCase(Locale.ROOT), e -> String.join(",", e.getValue()), (a, b) -> a));
        Verification verification = secrets.isEmpty() ? null : WebhookSignature.verify(new ArrayList<>(secrets),
                headers.get(WebhookSignature.ID_HEADER.toLowerCase(Locale.ROOT)),
                headers.get(WebhookSignature.TIMESTAMP_HEADER.toLowerCase(Locale.ROOT)),
                headers.get(WebhookSignature.SIGNATURE_HEADER.toLowerCase(Locale.ROOT)), body, Instant.now(),
                WebhookSignature.DEFAULT_TOLERANCE);
        received.add(new Received(Instant.now(), headers, body, verification));
        if (hang) {
            try {
                closed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
        }
        boolean forged = verification != null && verification != Verification.VALID;
        boolean fail = forged || number <= failFirst;
        byte[] response = (fail ? "{\"error\":\"down\"}" : answer).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(forged ? 401 : fail ? FAILURE_STATUS : 200, response.length == 0 ? -1 : response.length);
        if (response.length > 0) {
            exchange.getResponseBody().write(response);
        }
        exchange.close();
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
    }
}
