package io.switchboard.client;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An end user's push connection, over the JDK's WebSocket client: frames are parsed as JSON and
 * queued with the instant they arrived.
 */
public final class PushConnection implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.shared();

    /** A frame and when it arrived ({@link System#nanoTime()}). */
    public record Frame(JsonNode json, long receivedNanos) {
        public String type() {
            return json.path("type").asString();
        }
    }

    private final WebSocket socket;
    private final BlockingQueue<Frame> frames;
    private final Collector collector;

    private PushConnection(WebSocket socket, BlockingQueue<Frame> frames, Collector collector) {
        this.socket = socket;
        this.frames = frames;
        this.collector = collector;
    }

    /**
     * Connects with {@code token} in the handshake's {@code Authorization} header (null: none, e.g.
     * a URL with a ticket) and waits for {@code session.ready}, after which every new message reaches
     * this session.
     */
    public static PushConnection open(String url, String token, Duration timeout) throws InterruptedException {
        BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
        Collector collector = new Collector(frames);
        WebSocket socket = builder(token, timeout).buildAsync(URI.create(url), collector).join();
        PushConnection connection = new PushConnection(socket, frames, collector);
        connection.next("session.ready", timeout);
        return connection;
    }

    /**
     * Opens {@code url} and waits for the server to close the connection, as push-service does
     * right after a handshake with a token it refuses: returns the close code (4401 for a missing,
     * invalid, expired or revoked token, 4403 for a token that is not a push token).
     */
    public static int refusalCode(String url, String token, Duration timeout) throws Exception {
        BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
        Collector collector = new Collector(frames);
        WebSocket socket = builder(token, timeout).buildAsync(URI.create(url), collector).join();
        try {
            return collector.closeCode.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            socket.abort();
        }
    }

    private static WebSocket.Builder builder(String token, Duration timeout) {
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(timeout);
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    /** The next frame of {@code type}, skipping frames of other types. */
    public Frame next(String type, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Frame frame = frames.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (frame == null) {
                throw new IllegalStateException("no '" + type + "' frame within " + timeout);
            }
            if (type.equals(frame.type())) {
                return frame;
            }
        }
    }

    /** The next frame of any type. */
    public Frame next(Duration timeout) throws InterruptedException {
        Frame frame = frames.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (frame == null) {
            throw new IllegalStateException("no frame within " + timeout);
        }
        return frame;
    }

    /** Sends a frame: a JSON text as it is, anything else (a map, a record) as JSON. */
    public void send(Object frame) {
        socket.sendText(frame instanceof String text ? text : JSON.writeValueAsString(frame), true).join();
    }

    /** Waits until the server closes the connection; returns its close code. */
    public int awaitClosedByServer(Duration timeout) throws Exception {
        return collector.closeCode.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The reason the server gave when it closed the connection (after {@link #awaitClosedByServer}), or null. */
    public String closeReason() {
        return collector.closeReason;
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally(e -> null).join();
        socket.abort();
    }

    private static final class Collector implements WebSocket.Listener {
        private final BlockingQueue<Frame> frames;
        private final StringBuilder text = new StringBuilder();
        private final java.util.concurrent.CompletableFuture<Integer> closeCode = new java.util.concurrent.CompletableFuture<>();
        private volatile String closeReason;

        Collector(BlockingQueue<Frame> frames) {
            this.frames = frames;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                frames.add(new Frame(JSON.readTree(text.toString()), System.nanoTime()));
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeReason = reason;
            closeCode.complete(statusCode);
            return null;
        }
    }
}
