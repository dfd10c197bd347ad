package io.switchboard.chaos;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One end user's app as the push protocol asks a client to behave: it keeps the last
 * {@code changeSeq} it saw per conversation, reconnects after any drop (backing off as the web
 * page does, {@link #backoffMillis}, to whichever gateway the balancer picks) with {@code resume=true}
 * and a {@code resume} of what it holds, fetches the changes it missed when a live frame skips one
 * or it joins a conversation it does not know, and resumes again, backing off, when history was
 * unavailable. Every message frame goes to the {@link Ledger}.
 */
final class ChaosClient {

    private static final JsonMapper JSON = JsonMapper.shared();
    private static final String TOKEN_PREFIX = "chaos ";

    private final String userId;
    private final String token;
    private final URI url;
    private final HttpClient http;
    private final ScheduledExecutorService scheduler;
    private final Ledger ledger;
    /** Where this client writes every frame it sends and receives (one traced user per run), or null. */
    private volatile java.io.PrintStream trace;
    private final Map<String, Long> lastChangeSeq = new ConcurrentHashMap<>();
    private final Set<String> fetching = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connects = new AtomicInteger();
    private final AtomicInteger drops = new AtomicInteger();
    private final AtomicInteger reconnectAttempt = new AtomicInteger();
    private final AtomicInteger resumeAttempt = new AtomicInteger();
    private volatile WebSocket socket;
    private volatile boolean ready;
    private volatile boolean closed;
    /** The JDK's WebSocket takes one send at a time: each waits for the one before. */
    private CompletableFuture<?> sends = CompletableFuture.completedFuture(null);

    ChaosClient(String userId, String token, String webSocketUrl, HttpClient http, ScheduledExecutorService scheduler,
                Ledger ledger) {
        this.userId = userId;
        this.token = token;
        this.url = URI.create(webSocketUrl + "?resume=true");
        this.http = http;
        this.scheduler = scheduler;
        this.ledger = ledger;
    }

    void connect() {
        if (closed) {
            return;
        }
        connects.incrementAndGet();
        traced("o", "connecting");
        http.newWebSocketBuilder().header("Authorization", "Bearer " + token).connectTimeout(Duration.ofSeconds(5))
                .buildAsync(url, new Listener())
                .whenComplete((webSocket, error) -> {
                    if (error != null) {
                        reconnectLater();
                    } else {
                        socket = webSocket;
                    }
                });
    }

    /** Writes every frame this client sends and receives to {@code trace}, to see what one user's app went through. */
    void trace(java.io.PrintStream trace) {
        this.trace = trace;
    }

    private void traced(String direction, String frame) {
        java.io.PrintStream out = trace;
        if (out != null) {
            out.println(java.time.Instant.now() + " " + direction + " " + frame);
        }
    }

    /** Whether the session is open and its resume answered (live frames flow). */
    boolean isReady() {
        return ready;
    }

    int connects() {
        return connects.get();
    }

    int drops() {
        return drops.get();
    }

    String userId() {
        return userId;
    }

    void close() {
        closed = true;
        WebSocket current = socket;
        if (current != null) {
            current.abort();
        }
    }

    /**
     * Delay before attempt {@code attempt} (0, 1, …) of a reconnect or a resume, as the web page's
     * client waits: a cap doubling from 0.5 s to 15 s, the delay drawn between half the cap and the
     * cap, so clients that failed together do not come back together.
     */
    static long backoffMillis(int attempt) {
        long cap = Math.min(15_000, 500L << Math.min(attempt, 10));
        return cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1);
    }

    private void reconnectLater() {
        ready = false;
        socket = null;
        fetching.clear();
        if (!closed) {
            scheduler.schedule(this::connect, backoffMillis(reconnectAttempt.getAndIncrement()), TimeUnit.MILLISECONDS);
        }
    }

    private void onFrame(WebSocket webSocket, JsonNode frame) {
        String type = frame.path("type").asString();
        switch (type) {
            case "session.ready" -> {
                reconnectAttempt.set(0);
                send(webSocket, Map.of("type", "resume", "conversations", Map.copyOf(lastChangeSeq)));
            }
            case "message.created", "message.edited", "message.recalled", "message.deleted" -> onMessage(webSocket, frame);
            case "conversation.synced" -> {
                if (!frame.path("known").asBoolean()) {
                    fetch(webSocket, frame.path("conversationId").asString());
                }
            }
            case "membership.changed" -> {
                String conversationId = frame.path("conversationId").asString();
                if ("joined".equals(frame.path("change").asString()) && !lastChangeSeq.containsKey(conversationId)) {
                    fetch(webSocket, conversationId);
                }
            }
            case "resume.done" -> {
                ready = true;
                resumeAttempt.set(0);
            }
            case "fetch.done" -> {
                String conversationId = frame.path("conversationId").asString();
                lastChangeSeq.merge(conversationId, frame.path("changeSeq").asLong(), Math::max);
                fetching.remove(conversationId);
                if (frame.path("hasMore").asBoolean()) {
                    fetch(webSocket, conversationId);
                }
            }
            case "error" -> onError(webSocket, frame);
            default -> {
                // presence, read positions, conversation changes: not what this run checks
            }
        }
    }

    private void onMessage(WebSocket webSocket, JsonNode frame) {
        String conversationId = frame.path("conversationId").asString();
        long changeSeq = frame.path("changeSeq").asLong();
        String text = frame.path("text").asString("");
        ledger.delivered(userId, conversationId, frame.path("seq").asLong(), changeSeq,
                text.startsWith(TOKEN_PREFIX) ? text.substring(TOKEN_PREFIX.length()) : null);
        long last = lastChangeSeq.getOrDefault(conversationId, 0L);
        if (frame.path("replayed").asBoolean() || changeSeq == last + 1) {
            lastChangeSeq.merge(conversationId, changeSeq, Math::max);
        } else if (changeSeq > last + 1) {
            // a live frame skipped changes: read them (the gateway holds live frames meanwhile)
            fetch(webSocket, conversationId);
        }
    }

    private void onError(WebSocket webSocket, JsonNode frame) {
        String code = frame.path("code").asString();
        if (code.equals("resume-unavailable") || code.equals("resume-timeout") || code.equals("fetch-unavailable")) {
            // history could not be read (message-service down or slow): resume again later, backing off
            fetching.clear();
            scheduler.schedule(() -> {
                if (socket == webSocket) {
                    send(webSocket, Map.of("type", "resume", "conversations", Map.copyOf(lastChangeSeq)));
                }
            }, backoffMillis(resumeAttempt.getAndIncrement()), TimeUnit.MILLISECONDS);
        }
    }

    private void fetch(WebSocket webSocket, String conversationId) {
        if (fetching.add(conversationId)) {
            send(webSocket, Map.of("type", "fetch", "conversationId", conversationId,
                    "afterChangeSeq", lastChangeSeq.getOrDefault(conversationId, 0L)));
        }
    }

    private synchronized void send(WebSocket webSocket, Map<String, Object> frame) {
        String text = JSON.writeValueAsString(frame);
        traced(">", text);
        sends = sends.exceptionally(error -> null).thenCompose(previous -> webSocket.sendText(text, true));
    }

    /** One connection's listener: a connection drops once, however many ways it reports it. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();
        private boolean gone;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                traced("<", text.toString());
                JsonNode frame = JSON.readTree(text.toString());
                text.setLength(0);
                onFrame(webSocket, frame);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            dropped(webSocket);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            dropped(webSocket);
        }

        private synchronized void dropped(WebSocket webSocket) {
            webSocket.abort();
            if (!gone) {
                traced("x", "connection dropped");
                gone = true;
                drops.incrementAndGet();
                reconnectLater();
            }
        }
    }
}
