package io.switchboard.platform.testing;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A real WebSocket client (the JDK's) that collects the JSON frames it receives. */
public final class TestWebSocket implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final WebSocket socket;
    private final BlockingQueue<JsonNode> frames;
    private final java.util.concurrent.CompletableFuture<Close> closed;

    /** The close frame the server sent. */
    private record Close(int code, String reason) {
    }

    private TestWebSocket(WebSocket socket, BlockingQueue<JsonNode> frames, java.util.concurrent.CompletableFuture<Close> closed) {
        this.socket = socket;
        this.frames = frames;
        this.closed = closed;
    }

    /** Opens {@code url} without a token (a ticket in the URL, or none); throws {@link WebSocketHandshakeException} (as cause) when refused. */
    public static TestWebSocket connect(String url) {
        return connect(url, null);
    }

    /** Opens {@code url} with {@code token} in the handshake's {@code Authorization} header, as a non-browser client does. */
    public static TestWebSocket connect(String url, String token) {
        BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
        java.util.concurrent.CompletableFuture<Close> closed = new java.util.concurrent.CompletableFuture<>();
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        WebSocket socket = builder
                .buildAsync(URI.create(url), new WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            frames.add(JSON.readTree(partial.toString()));
                            partial.setLength(0);
                        }
                        webSocket.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                        closed.complete(new Close(statusCode, reason));
                        return null;
                    }
                })
                .join();
        return new TestWebSocket(socket, frames, closed);
    }

    /**
     * Opens {@code url} and waits until the server closes it, as push-service does with a refused
     * token: the close code and reason, as in {@code "4401 token missing"}.
     */
    public static String refusal(String url, Duration timeout) throws Exception {
        return refusal(url, null, timeout);
    }

    /** {@link #refusal(String, Duration)} with {@code token} in the {@code Authorization} header. */
    public static String refusal(String url, String token, Duration timeout) throws Exception {
        try (TestWebSocket socket = connect(url, token)) {
            Close close = socket.closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return close.code() + " " + close.reason();
        }
    }

    /** Waits for the next frame matching {@code match}, skipping others. */
    public JsonNode await(Predicate<JsonNode> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode skipped = null;
        int skippedCount = 0;
        while (true) {
            JsonNode frame = frames.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (frame == null) {
                // what the connection did meanwhile, so a failure says whether it was cut, idle or behind
                Close close = closed.getNow(null);
                throw new AssertionError("No matching frame within " + timeout + "; " + skippedCount
                        + " other frames meanwhile, the last " + (skipped == null ? "none" : abbreviated(skipped))
                        + "; the connection " + (close == null ? "is open" : "was closed: " + close.code() + " "
                        + close.reason()));
            }
            if (match.test(frame)) {
                return frame;
            }
            skipped = frame;
            skippedCount++;
        }
    }

    private static String abbreviated(JsonNode frame) {
        String text = frame.toString();
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }

    public JsonNode awaitType(String type, Duration timeout) throws InterruptedException {
        return await(frame -> type.equals(frame.path("type").asString()), timeout);
    }

    /** Waits until the server closes the connection and returns its close code. */
    public int awaitClose(Duration timeout) throws Exception {
        return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS).code();
    }

    /** Waits until the server closes the connection and returns its close code and reason, as in {@code "1009 too big"}. */
    public String awaitCloseStatus(Duration timeout) throws Exception {
        Close close = closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return close.code() + " " + close.reason();
    }

    /** Whether the server has not closed the connection (yet). */
    public boolean isOpen() {
        return !closed.isDone();
    }

    /** Frames received so far and not yet consumed by {@link #await}. */
    public int pending() {
        return frames.size();
    }

    public void send(String text) {
        socket.sendText(text, true).join();
    }

    /** Sends one text message as several WebSocket frames (a first frame and continuations) of {@code fragmentChars} each. */
    public void sendFragmented(String text, int fragmentChars) {
        for (int from = 0; from < text.length(); from += fragmentChars) {
            int to = Math.min(text.length(), from + fragmentChars);
            socket.sendText(text.substring(from, to), to == text.length()).join();
        }
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null).join();
        socket.abort();
    }
}
