package io.switchboard.bench;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many end users' push connections, held by one JDK {@link HttpClient} (one selector thread for
 * all of them). The client library's {@code PushConnection} builds an HttpClient per connection,
 * which for 1,000 users means 1,000 selector threads, and queues frames for a reader per
 * connection; here each frame is handled as it arrives and only what the benchmark needs is kept:
 * when the notification routed from each business event arrived ({@code message.created} frames
 * carry {@code origin.eventId}), and which conversations the users were told they joined.
 */
final class NotificationSockets implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.shared();
    /** Handshakes and {@code session.ready} waits in flight while connecting. */
    private static final int CONNECTING_AT_ONCE = 50;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final List<WebSocket> sockets = new ArrayList<>();
    private final Map<String, Long> notifiedAt = new ConcurrentHashMap<>();
    private final Set<String> joined = ConcurrentHashMap.newKeySet();
    private final AtomicLong notificationFrames = new AtomicLong();

    /**
     * Connects to {@code url} once per token (in the handshake's {@code Authorization} header) and
     * returns once each connection got {@code session.ready} (from then on every new message for
     * that user reaches it).
     *
     * @throws IllegalStateException if a connection was refused or not ready within {@code timeout}
     */
    static NotificationSockets open(String url, List<String> tokens, Duration timeout) throws Exception {
        NotificationSockets connections = new NotificationSockets();
        try {
            connections.connectAll(url, tokens, timeout);
            return connections;
        } catch (Exception e) {
            connections.close();
            throw e;
        }
    }

    private void connectAll(String url, List<String> tokens, Duration timeout) throws Exception {
        Semaphore connecting = new Semaphore(CONNECTING_AT_ONCE);
        List<Future<WebSocket>> opened = new ArrayList<>();
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String token : tokens) {
                opened.add(workers.submit(() -> {
                    connecting.acquire();
                    try {
                        return connect(url, token, timeout);
                    } finally {
                        connecting.release();
                    }
                }));
            }
            for (Future<WebSocket> socket : opened) {
                try {
                    sockets.add(socket.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException("a push connection failed: " + e.getCause().getMessage(), e.getCause());
                }
            }
        }
    }

    private WebSocket connect(String url, String token, Duration timeout) throws Exception {
        Listener listener = new Listener();
        WebSocket socket = http.newWebSocketBuilder().connectTimeout(timeout).header("Authorization", "Bearer " + token)
                .buildAsync(URI.create(url), listener).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            listener.ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            socket.abort();
            throw new IllegalStateException("no session.ready within " + timeout);
        }
        return socket;
    }

    /** When the notification routed from {@code eventId} arrived ({@link System#nanoTime()}), or null. */
    Long notifiedAt(String eventId) {
        return notifiedAt.get(eventId);
    }

    /** Whether a user was told ({@code membership.changed}, {@code joined}) that they joined the conversation. */
    boolean joined(String conversationId) {
        return joined.contains(conversationId);
    }

    /** Every routed notification frame received, repeats included. */
    long notificationFrames() {
        return notificationFrames.get();
    }

    int size() {
        return sockets.size();
    }

    /** Closes every connection (the server sees a normal closure) and the client's selector. */
    @Override
    public void close() {
        CompletableFuture.allOf(sockets.stream()
                .map(socket -> socket.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally(e -> null))
                .toArray(CompletableFuture[]::new)).completeOnTimeout(null, 10, TimeUnit.SECONDS).join();
        sockets.forEach(WebSocket::abort);
        http.shutdownNow();
    }

    private void onFrame(JsonNode frame, long receivedNanos) {
        switch (frame.path("type").stringValue("")) {
            case "message.created" -> {
                String eventId = frame.path("origin").path("eventId").stringValue(null);
                if (eventId != null) {
                    notificationFrames.incrementAndGet();
                    notifiedAt.putIfAbsent(eventId, receivedNanos);
                }
            }
            case "membership.changed" -> {
                if ("joined".equals(frame.path("change").stringValue(""))) {
                    joined.add(frame.path("conversationId").stringValue(""));
                }
            }
            default -> {
            }
        }
    }

    /** One connection's frames: text is gathered until the frame is complete, then handled. */
    private final class Listener implements WebSocket.Listener {
        private final CompletableFuture<Void> ready = new CompletableFuture<>();
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                long receivedNanos = System.nanoTime();
                JsonNode frame = JSON.readTree(text.toString());
                text.setLength(0);
                if ("session.ready".equals(frame.path("type").stringValue(""))) {
                    ready.complete(null);
                } else {
                    onFrame(frame, receivedNanos);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            ready.completeExceptionally(error);
        }
    }
}
