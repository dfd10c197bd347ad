package io.switchboard.chaos;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Users sending chat messages over HTTP as an app would: each send has its own {@code Idempotency-Key}
 * and is retried with the same key after a connection failure, a timeout, a 5xx or a 429, with
 * backoff, for up to {@code retryFor}; a send counts as accepted at its first 2xx. A 4xx other than
 * 429 is the load's own mistake and is recorded as a refusal.
 */
final class MessageTraffic {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    /** A group conversation and its members' tokens. */
    record Group(String conversationId, List<String> members, Map<String, String> tokens) {
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final String messageServiceUrl;
    private final List<Group> groups;
    private final Ledger ledger;
    private final Duration retryFor;
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong attempts = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();

    MessageTraffic(String messageServiceUrl, List<Group> groups, Ledger ledger, Duration retryFor) {
        this.messageServiceUrl = messageServiceUrl;
        this.groups = groups;
        this.ledger = ledger;
        this.retryFor = retryFor;
    }

    /** Sends one message from a random member of a random group, on its own virtual thread. */
    void sendOne() {
        Group group = groups.get(ThreadLocalRandom.current().nextInt(groups.size()));
        String sender = group.members().get(ThreadLocalRandom.current().nextInt(group.members().size()));
        String key = "m-" + sequence.incrementAndGet();
        Ledger.Item item = ledger.sent(key, "message", group.members());
        inFlight.incrementAndGet();
        Thread.startVirtualThread(() -> {
            try {
                deliver(item, group.conversationId(), group.tokens().get(sender));
            } finally {
                inFlight.decrementAndGet();
            }
        });
    }

    /** Sends still waiting for their 2xx (retrying). */
    int inFlight() {
        return inFlight.get();
    }

    long attempts() {
        return attempts.get();
    }

    private void deliver(Ledger.Item item, String conversationId, String token) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(messageServiceUrl + "/v1/conversations/" + conversationId
                        + "/messages"))
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", item.key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"TEXT\",\"text\":\"chaos " + item.key + "\"}"))
                .build();
        long deadline = System.nanoTime() + retryFor.toNanos();
        long backoff = 250;
        while (System.nanoTime() < deadline) {
            attempts.incrementAndGet();
            int status = send(request);
            if (status >= 200 && status < 300) {
                ledger.accepted(item);
                return;
            }
            if (status >= 400 && status < 500 && status != 429 && status != 408) {
                item.refusal = "HTTP " + status;
                return;
            }
            sleep(backoff + ThreadLocalRandom.current().nextLong(backoff));
            backoff = Math.min(2000, backoff * 2);
        }
        item.refusal = "no 2xx within " + retryFor.toSeconds() + " s";
    }

    /** The response's status, or -1 when the connection failed or timed out. */
    private int send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
