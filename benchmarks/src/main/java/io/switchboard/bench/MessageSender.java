package io.switchboard.bench;

import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** Sends chat messages as an app, one per request to message-service's HTTP API, as an app's server does. */
final class MessageSender {

    private static final JsonMapper JSON = JsonMapper.shared();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String messagesUrl;
    private final Supplier<String> token;
    private final AtomicInteger unanswered = new AtomicInteger();

    /** @param token an app token with {@code messages:write}, for a load shorter than its lifetime */
    MessageSender(String messagesUrl, String token) {
        this(messagesUrl, () -> token);
    }

    /** @param token the app token (with {@code messages:write}) to send with now, e.g. an {@link AppTokenSource} */
    MessageSender(String messagesUrl, Supplier<String> token) {
        this.messagesUrl = messagesUrl;
        this.token = token;
    }

    /**
     * Sends a text message; returns its id, or null if it was refused or the request failed. A
     * request that got no answer (a timeout under overload, a broken connection) is counted in
     * {@link #unanswered()}: its message may still be stored and pushed.
     */
    String sendText(String conversationId, String text) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(messagesUrl + "/v1/conversations/" + conversationId
                        + "/messages"))
                .header("Authorization", "Bearer " + token.get())
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("type", "TEXT", "text", text))))
                .timeout(Duration.ofSeconds(30))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 201) {
                return null;
            }
            return JSON.readTree(response.body()).get("messageId").asString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (Exception e) {
            unanswered.incrementAndGet();
            return null;
        }
    }

    /** Requests that got no answer so far. */
    int unanswered() {
        return unanswered.get();
    }
}
