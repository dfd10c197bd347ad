package io.switchboard.push.webhooks.delivery;

import io.switchboard.platform.testing.TestHttp;
import io.switchboard.platform.testing.TestWebhookEndpoint;
import io.switchboard.platform.testing.TestWebhookEndpoint.Received;
import io.switchboard.push.webhooks.WebhookEvent;
import io.switchboard.push.webhooks.WebhookEventType;
import io.switchboard.push.webhooks.WebhookIntegrationTest;
import io.switchboard.schemas.webhooks.WebhookSignature;
import io.switchboard.schemas.webhooks.WebhookSignature.Verification;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The delivery engine against real HTTP servers on loopback (see the test configuration: 4
 * attempts, backoff 300 ms doubling with 50 % jitter, breaker over 4 calls open for 2 s, 2
 * attempts in flight per endpoint, request timeout 1 s, endpoints disabled after 6 s of failures).
 */
class DeliveryKafkaPostgresTests extends WebhookIntegrationTest {

    @Autowired
    Dispatcher dispatcher;
    @Autowired
    EventRecorder recorder;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    DeliveryQueue queue;
    TransactionTemplate transactions;

    @Autowired
    void transactions(PlatformTransactionManager transactionManager) {
        transactions = new TransactionTemplate(transactionManager);
    }

    @Test
    void deliveriesAreSignedSoTheReceiverVerifiesThemAndATamperedBodyOrStaleTimestampDoesNot() throws Exception {
        try (TestWebhookEndpoint receiver = TestWebhookEndpoint.healthy()) {
            Registered registered = register(receiver, "card.action");
            String eventId = ping(registered.endpointId());

            Received received = receiver.await(r -> true, WAIT);
            assertThat(received.verification()).isEqualTo(Verification.VALID);
            assertThat(received.header(WebhookSignature.EVENT_TYPE_HEADER)).isEqualTo("webhook.ping");
            assertThat(received.attempt()).isEqualTo(1);
            assertThat(received.header("content-type")).startsWith("application/json");
            JsonNode body = new TestHttp.Response(200, "application/json", received.text()).json();
            assertThat(body.get("id").asString()).isEqualTo(eventId);
            assertThat(body.get("type").asString()).isEqualTo("webhook.ping");
            assertThat(body.get("appId").asString()).isEqualTo(appId);
            assertThat(body.get("data").get("endpointId").asString()).isEqualTo(registered.endpointId());

            String id = received.header(WebhookSignature.ID_HEADER);
            String timestamp = received.header(WebhookSignature.TIMESTAMP_HEADER);
            String signature = received.header(WebhookSignature.SIGNATURE_HEADER);
            byte[] tampered = received.text().replace(appId, otherAppId).getBytes(StandardCharsets.UTF_8);
            assertThat(WebhookSignature.verify(registered.secret(), id, timestamp, signature, tampered))
                    .isEqualTo(Verification.SIGNATURE_MISMATCH);
            assertThat(WebhookSignature.verify(registered.secret(), "msg_another_delivery", timestamp, signature,
                    received.body())).as("the signature under another delivery's id").isEqualTo(Verification.SIGNATURE_MISMATCH);
            assertThat(WebhookSignature.verify(List.of(registered.secret()), id, timestamp, signature, received.body(),
                    Instant.now().plus(Duration.ofMinutes(6)), WebhookSignature.DEFAULT_TOLERANCE))
                    .as("the same request replayed six minutes later").isEqualTo(Verification.STALE_TIMESTAMP);
            assertThat(WebhookSignature.verify("whsec_c29tZW9uZSBlbHNlJ3Mgc2VjcmV0IGtleSBieXRlcw==", id, timestamp,
                    signature, received.body())).isEqualTo(Verification.SIGNATURE_MISMATCH);
            assertThat(new com.standardwebhooks.Webhook(registered.secret()).sign(id, Long.parseLong(timestamp),
                    received.text())).as("what the Standard Webhooks library computes").isIn(List.of(signature.split(" ")));

            JsonNode logged = awaitDeliveries(registered.endpointId(), "delivered", 1, WAIT).getFirst();
            assertThat(logged.get("deliveryId").asString()).isEqualTo(received.deliveryId());
            JsonNode attempts = delivery(received.deliveryId()).get("attempts");
            assertThat(attempts.size()).isEqualTo(1);
            assertThat(attempts.get(0).get("outcome").asString()).isEqualTo("delivered");
            assertThat(attempts.get(0).get("statusCode").asInt()).isEqualTo(200);
        }
    }

    @Test
    void whileARotatedSecretOverlapsBothSignThenOnlyTheNewOne() {
        try (TestWebhookEndpoint receiver = TestWebhookEndpoint.healthy()) {
            Registered registered = register(receiver, "card.action");
            String rotated = http().postJson("/v1/webhooks/endpoints/" + registered.endpointId() + "/secret/rotate",
                    admin(), Map.of("overlapSeconds", 3)).text("secret");
            receiver.verifyingWith(rotated);

            ping(registered.endpointId());
            Received during = receiver.await(r -> true, WAIT);
            assertThat(during.header(WebhookSignature.SIGNATURE_HEADER).split(" ")).hasSize(2);
            assertThat(verify(registered.secret(), during)).as("old secret").isEqualTo(Verification.VALID);
            assertThat(verify(rotated, during)).as("new secret").isEqualTo(Verification.VALID);

            await().atMost(WAIT).until(() -> endpoint(registered.endpointId()).get("secrets").size() == 1);
            ping(registered.endpointId());
            Received after = receiver.awaitCount(2, WAIT).get(1);
            assertThat(after.header(WebhookSignature.SIGNATURE_HEADER).split(" ")).hasSize(1);
            assertThat(verify(registered.secret(), after)).isEqualTo(Verification.SIGNATURE_MISMATCH);
            assertThat(after.verification()).isEqualTo(Verification.VALID);
        }
    }

    @Test
    void aFailingEndpointIsRetriedWithExponentialBackoffAndJitterUntilItAnswers() {
        try (TestWebhookEndpoint receiver = TestWebhookEndpoint.failingFirst(3)) {
            Registered registered = register(receiver, "card.action");
            ping(registered.endpointId());

            List<Received> attempts = receiver.awaitCount(4, WAIT);
            assertThat(attempts).extracting(Received::attempt).containsExactly(1, 2, 3, 4);
            assertThat(attempts).extracting(Received::deliveryId).containsOnly(attempts.getFirst().deliveryId());
            assertThat(attempts).extracting(Received::verification).containsOnly(Verification.VALID);
            for (int retry = 1; retry <= 3; retry++) {
                long base = 300L << (retry - 1);   // 300, 600, 1200 ms, each +-50 %
                long gap = Duration.between(attempts.get(retry - 1).at(), attempts.get(retry).at()).toMillis();
                assertThat(gap).as("wait before attempt " + (retry + 1)).isBetween(base / 2, base * 3 / 2 + 400);
            }
            JsonNode delivered = awaitDeliveries(registered.endpointId(), "delivered", 1, WAIT).getFirst();
            assertThat(delivered.get("attempts").asInt()).isEqualTo(4);
            assertThat(delivery(delivered.get("deliveryId").asString()).get("attempts"))
                    .extracting(a -> a.get("outcome").asString())
                    .containsExactly("http-error", "http-error", "http-error", "delivered");
        }
    }

    @Test
    void afterTheLastAttemptADeliveryIsDeadLetteredAndTheAppReplaysItOneOrAllSince() {
        Instant start = Instant.now();
        try (TestWebhookEndpoint first = TestWebhookEndpoint.failingForever();
             TestWebhookEndpoint second = TestWebhookEndpoint.failingForever()) {
            Registered one = register(first, "card.action");
            Registered two = register(second, "card.action");
            ping(one.endpointId());
            ping(two.endpointId());

            JsonNode deadOne = awaitDeliveries(one.endpointId(), "failed", 1, WAIT).getFirst();
            awaitDeliveries(two.endpointId(), "failed", 1, WAIT);
            assertThat(deadOne.get("attempts").asInt()).isEqualTo(4);
            assertThat(deadOne.get("failureReason").asString()).isEqualTo("retries-exhausted");
            assertThat(first.requests()).isEqualTo(4);
            first.recover();
            second.recover();

            String deliveryId = deadOne.get("deliveryId").asString();
            TestHttp.Response replayed = http().postJson("/v1/webhooks/deliveries/" + deliveryId + "/replay", admin(), "{}");
            assertThat(replayed.status()).as(replayed.body()).isEqualTo(200);
            assertThat(replayed.text("status")).isEqualTo("pending");
            Received again = first.await(r -> r.attempt() == 5, WAIT);
            assertThat(again.deliveryId()).isEqualTo(deliveryId);
            awaitDeliveries(one.endpointId(), "delivered", 1, WAIT);

            TestHttp.Response all = http().postJson("/v1/webhooks/deliveries/replay", admin(), Map.of("since", start.toString()));
            assertThat(all.json().get("replayed").asInt()).as("the other endpoint's dead letter").isEqualTo(1);
            awaitDeliveries(two.endpointId(), "delivered", 1, WAIT);
            assertThat(http().postJson("/v1/webhooks/deliveries/" + deliveryId + "/replay", admin(), "{}").text("code"))
                    .isEqualTo("webhook-delivery-not-failed");
            assertThat(http().postJson("/v1/webhooks/deliveries/" + deliveryId + "/replay", adminOf(otherAppId), "{}")
                    .status()).isEqualTo(404);
        }
    }

    @Test
    void theBreakerStopsAttemptsToAnEndpointThatKeepsFailingAndClosesOnceItAnswers() {
        double opened = breakerTransitions("open");
        double closed = breakerTransitions("closed");
        try (TestWebhookEndpoint receiver = TestWebhookEndpoint.failingForever()) {
            Registered registered = register(receiver, "card.action");
            for (int i = 0; i < 6; i++) {
                ping(registered.endpointId());
            }
            receiver.awaitCount(4, WAIT);
            await().atMost(WAIT).until(() -> breakerTransitions("open") > opened);
            int seen = receiver.requests();
            await().during(Duration.ofMillis(1_300)).atMost(Duration.ofSeconds(3))
                    .until(() -> receiver.requests() == seen);   // open: no attempt, though 6 deliveries are due

            receiver.recover();
            awaitDeliveries(registered.endpointId(), "delivered", 6, WAIT);
            assertThat(breakerTransitions("closed")).isGreaterThan(closed);
        }
    }

    @Test
    void aHangingEndpointDelaysNoOtherEndpoint() {
        try (TestWebhookEndpoint hanging = TestWebhookEndpoint.hanging(); TestWebhookEndpoint fast = TestWebhookEndpoint.healthy()) {
            Registered stuck = register(hanging, "card.action");
            Registered healthy = register(fast, "card.action");
            for (int i = 0; i < 6; i++) {
                ping(stuck.endpointId());
            }
            await().atMost(WAIT).until(() -> hanging.requests() >= 2);   // attempts in flight (its bulkhead holds 2)

            List<Long> latencies = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                Instant sent = Instant.now();
                ping(healthy.endpointId());
                int expected = i + 1;
                fast.awaitCount(expected, WAIT);
                latencies.add(Duration.between(sent, fast.received().get(i).at()).toMillis());
            }
            assertThat(latencies).as("ping to arrival at the healthy endpoint, ms").allMatch(ms -> ms < 500);
            assertThat(hanging.requests()).as("never more than its bulkhead in flight").isLessThanOrEqualTo(6);
        }
    }

    @Test
    void aDeliveryDueWhileTheDispatcherIsStoppedIsDeliveredAfterItStartsAgain() {
        try (TestWebhookEndpoint receiver = TestWebhookEndpoint.failingFirst(1)) {
            Registered registered = register(receiver, "card.action");
            ping(registered.endpointId());
            receiver.awaitCount(1, WAIT);
            // stopped before the failed attempt is settled, the attempt would not count (cut off by the
            // stop) and the next one would carry attempt number 1 again
            await().atMost(WAIT).until(() -> deliveries(registered.endpointId(), "pending").stream()
                    .anyMatch(d -> d.get("attempts").asInt() == 1));

            dispatcher.stop();
            try {
                await().during(Duration.ofMillis(1_200)).atMost(Duration.ofSeconds(3)).until(() -> receiver.requests() == 1);
                assertThat(deliveries(registered.endpointId(), "pending")).hasSize(1);
            } finally {
                dispatcher.start();
            }

            Received second = receiver.await(r -> r.attempt() == 2, WAIT);
            assertThat(second.deliveryId()).isEqualTo(receiver.received().getFirst().deliveryId());
            awaitDeliveries(registered.endpointId(), "delivered", 1, WAIT);
        }
    }

    /**
     * 199 deliveries of one endpoint are due before one of another (recorded while the dispatcher
     * is stopped): each claim takes the busy endpoint's free bulkhead turns and the other's delivery
     * beside them, at once and only once.
     */
    @Test
    void aBacklogOfOneEndpointDoesNotHoldUpAnotherAndNothingIsTakenTwice() {
        try (TestWebhookEndpoint busy = TestWebhookEndpoint.healthy(); TestWebhookEndpoint quiet = TestWebhookEndpoint.healthy()) {
            Registered backlog = register(busy, "card.action");
            Registered single = register(quiet, "presence.changed");
            dispatcher.stop();
            try {
                recordBacklogThenOne(199);
            } finally {
                dispatcher.start();
            }

            Received once = quiet.await(r -> true, WAIT);
            awaitDeliveries(single.endpointId(), "delivered", 1, WAIT);
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> quiet.requests() == 1);
            assertThat(once.attempt()).isEqualTo(1);
            busy.awaitCount(199, Duration.ofSeconds(60));
            await().atMost(WAIT).until(() -> health(backlog.endpointId()).get("pendingDeliveries").asInt() == 0);
        }
    }

    /**
     * An endpoint held off (its circuit open on some instance, or its turns taken here) may pile
     * up any backlog: a claim must not read it. Checked by what the claim's own transaction read
     * of the deliveries' indexes (PostgreSQL's per-transaction statistics).
     */
    @Test
    void aClaimDoesNotReadTheBacklogOfAnEndpointThatIsHeldOff() {
        try (TestWebhookEndpoint held = TestWebhookEndpoint.healthy(); TestWebhookEndpoint other = TestWebhookEndpoint.healthy()) {
            Registered backlog = register(held, "card.action");
            Registered waiting = register(other, "presence.changed");
            dispatcher.stop();
            try {
                Instant now = recordBacklogThenOne(5_000);
                jdbc.update("ANALYZE webhook_deliveries");

                jdbc.update("UPDATE webhook_endpoints SET circuit_open_until = ? WHERE endpoint_id = ?",
                        Timestamp.from(now.plus(Duration.ofHours(1))), backlog.endpointId());
                // deliveries other tests of this class left due may be claimed too: only this test's endpoints count
                Set<String> mine = Set.of(backlog.endpointId(), waiting.endpointId());
                assertThat(claimReading(Set.of())).as("circuit open elsewhere").satisfies(claim -> {
                    assertThat(claim.endpoints()).filteredOn(mine::contains).containsExactly(waiting.endpointId());
                    assertThat(claim.rowsRead()).isLessThan(100);
                });
                jdbc.update("UPDATE webhook_endpoints SET circuit_open_until = NULL WHERE endpoint_id = ?", backlog.endpointId());
                assertThat(claimReading(Set.of(backlog.endpointId()))).as("every turn taken here").satisfies(claim -> {
                    assertThat(claim.endpoints()).filteredOn(mine::contains).containsExactly(waiting.endpointId());
                    assertThat(claim.rowsRead()).isLessThan(100);
                });
                assertThat(claimReading(Set.of()).endpoints()).as("longest waiting first").filteredOn(mine::contains)
                        .containsExactly(backlog.endpointId(), waiting.endpointId());
            } finally {
                jdbc.update("DELETE FROM webhook_deliveries WHERE endpoint_id = ?", backlog.endpointId());
                dispatcher.start();
            }
            other.awaitCount(1, WAIT);
        }
    }

    /**
     * Records {@code backlog} card actions (due first), then one presence change a millisecond
     * later; returns when the card actions were recorded as having happened.
     */
    private Instant recordBacklogThenOne(int backlog) {
        Instant now = Instant.now();
        recorder.record(IntStream.range(0, backlog).mapToObj(i -> WebhookEvent.of("backlog-" + i + ":" + UUID.randomUUID(),
                appId, WebhookEventType.CARD_ACTION, now, Map.of("n", i))).toList());
        recorder.record(List.of(WebhookEvent.of("single:" + UUID.randomUUID(), appId,
                WebhookEventType.PRESENCE_CHANGED, now.plusMillis(1), Map.of("userId", "alice"))));
        return now;
    }

    /** What a claim would lock, and how many rows of the deliveries it read doing so. */
    private record ClaimReading(List<String> endpoints, long rowsRead) {
    }

    private ClaimReading claimReading(Set<String> excluded) {
        return transactions.execute(tx -> {
            Instant now = Instant.now();
            List<String> endpoints = queue.dueEndpoints(now, excluded, 200);
            endpoints.forEach(endpointId -> queue.lockDue(endpointId, now, 2));
            Long read = jdbc.queryForObject("SELECT COALESCE(seq_tup_read, 0) + COALESCE(idx_tup_fetch, 0) "
                    + "FROM pg_stat_xact_user_tables WHERE relname = 'webhook_deliveries' AND schemaname = current_schema()",
                    Long.class);
            tx.setRollbackOnly();
            return new ClaimReading(endpoints, read);
        });
    }

    /**
     * A stored payload the keyset cannot decrypt (here: its ciphertext damaged in the database) is
     * dead-lettered at once, and the deliveries claimed with it go out without waiting for a lease.
     */
    @Test
    void aPayloadThatCannotBeDecryptedIsDeadLetteredWithoutHoldingUpTheOthers() {
        try (TestWebhookEndpoint receiver = TestWebhookEndpoint.healthy()) {
            Registered registered = register(receiver, "card.action");
            dispatcher.stop();
            try {
                Instant now = Instant.now();
                recorder.record(IntStream.range(0, 5).mapToObj(i -> WebhookEvent.of("poison-" + i + ":" + UUID.randomUUID(),
                        appId, WebhookEventType.CARD_ACTION, now, Map.of("n", i))).toList());
                String damaged = jdbc.queryForObject("SELECT delivery_id FROM webhook_deliveries WHERE endpoint_id = ? "
                        + "ORDER BY delivery_id LIMIT 1", String.class, registered.endpointId());
                jdbc.update("UPDATE webhook_deliveries SET payload = ? WHERE delivery_id = ?",
                        "not a ciphertext".getBytes(StandardCharsets.UTF_8), damaged);
            } finally {
                dispatcher.start();
            }

            receiver.awaitCount(4, Duration.ofSeconds(15));   // well within the claim lease (31.5 s here)
            JsonNode dead = awaitDeliveries(registered.endpointId(), "failed", 1, WAIT).getFirst();
            assertThat(dead.get("failureReason").asString()).isEqualTo("payload-undecryptable");
            assertThat(dead.get("attempts").asInt()).isZero();
            awaitDeliveries(registered.endpointId(), "delivered", 4, WAIT);
        }
    }

    @Test
    void anEndpointThatKeepsFailingIsDisabledItsPendingDeliveriesDeadLetteredAndTheAppTold() {
        Instant start = Instant.now();
        try (TestWebhookEndpoint failing = TestWebhookEndpoint.failingForever();
             TestWebhookEndpoint watcher = TestWebhookEndpoint.healthy()) {
            Registered broken = register(failing, "card.action");
            Registered told = register(watcher, "webhook.endpoint.disabled");

            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() -> {
                if (endpoint(broken.endpointId()).get("status").asString().equals("disabled-failing")) {
                    return true;
                }
                http().postJson("/v1/webhooks/endpoints/" + broken.endpointId() + "/ping", admin(), "{}");
                return false;
            });

            Received notice = watcher.await(r -> "webhook.endpoint.disabled".equals(r.header(WebhookSignature.EVENT_TYPE_HEADER)), WAIT);
            assertThat(notice.verification()).isEqualTo(Verification.VALID);
            assertThat(notice.text()).contains(broken.endpointId(), "\"reason\":\"failing\"");
            await().atMost(WAIT).until(() -> deliveries(broken.endpointId(), "pending").isEmpty());
            Set<String> reasons = deliveries(broken.endpointId(), "failed").stream()
                    .map(d -> d.get("failureReason").asString()).collect(Collectors.toSet());
            assertThat(reasons).contains("endpoint-disabled");
            assertThat(http().postJson("/v1/webhooks/endpoints/" + broken.endpointId() + "/ping", admin(), "{}").text("code"))
                    .isEqualTo("webhook-endpoint-disabled");

            failing.recover();
            assertThat(http().send("PATCH", "/v1/webhooks/endpoints/" + broken.endpointId(), admin(),
                    Map.of("enabled", true)).json().get("status").asString()).isEqualTo("enabled");
            int deadLetters = deliveries(broken.endpointId(), "failed").size();
            assertThat(http().postJson("/v1/webhooks/deliveries/replay", admin(),
                    Map.of("since", start.toString(), "endpointId", broken.endpointId())).json().get("replayed").asInt())
                    .isEqualTo(deadLetters);
            awaitDeliveries(broken.endpointId(), "delivered", deadLetters, Duration.ofSeconds(30));
        }
    }

    private static Verification verify(String secret, Received received) {
        return WebhookSignature.verify(secret, received.header(WebhookSignature.ID_HEADER),
                received.header(WebhookSignature.TIMESTAMP_HEADER), received.header(WebhookSignature.SIGNATURE_HEADER),
                received.body());
    }

    /** switchboard_webhooks_breaker_transitions_total{to=...} from the Prometheus endpoint. */
    private double breakerTransitions(String to) {
        return management().get("/actuator/prometheus", null).body().lines()
                .filter(line -> line.startsWith("switchboard_webhooks_breaker_transitions_total{") && line.contains("to=\"" + to + "\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }
}
