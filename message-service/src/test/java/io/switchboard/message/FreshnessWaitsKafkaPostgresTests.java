package io.switchboard.message;

import io.switchboard.platform.testing.ServiceIntegrationTest;
import io.switchboard.platform.testing.TestApps;
import io.switchboard.platform.testing.TestHttp;
import io.switchboard.platform.testing.TestMembership;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import static io.switchboard.platform.testing.TestHttp.bearer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request naming conversations the service does not know waits once for all of them (they may
 * have been created a moment ago), not once each, and such requests by one app do not hold up
 * another app's.
 */
class FreshnessWaitsKafkaPostgresTests extends ServiceIntegrationTest {

    /** The membership view's wait for a conversation created a moment ago. */
    private static final Duration ONE_WAIT = Duration.ofSeconds(5);

    @BeforeEach
    void apps() {
        TestApps.active(appId);
        TestApps.active(otherAppId);
        TestMembership.group(otherAppId, "ops", "Ops", List.of("olga"));
    }

    @Test
    void aBatchNamingAHundredUnknownConversationsAnswersWithinAboutOneWait() {
        long started = System.nanoTime();
        TestHttp.Response batch = unknownConversationsBatch();
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(batch.status()).as(batch.body()).isEqualTo(200);
        assertThat(batch.json().get("results").valueStream().map(r -> r.get("problem").get("code").asString()).distinct())
                .containsExactly("conversation-not-found");
        assertThat(took).isLessThan(ONE_WAIT.multipliedBy(2));
        System.out.printf("a batch of 100 unknown conversations answered in %d ms%n", took.toMillis());
    }

    @Test
    void fiftySuchBatchesAtOnceDoNotHoldUpAnotherAppsMessage() throws Exception {
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<TestHttp.Response>> stalling = IntStream.range(0, 50)
                    .mapToObj(i -> CompletableFuture.supplyAsync(this::unknownConversationsBatch, clients)).toList();

            long started = System.nanoTime();
            TestHttp.Response other = http().postJson("/v1/conversations/ops/messages",
                    bearer(tokens.userToken(otherAppId, "olga", "messages:write")),
                    Map.of("type", "TEXT", "text", "still here"), Map.of("Idempotency-Key", UUID.randomUUID().toString()));
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(other.status()).as(other.body()).isEqualTo(201);
            assertThat(took).isLessThan(ONE_WAIT);
            System.out.printf("another app's message beside 50 stalled batches: %d ms%n", took.toMillis());
            stalling.forEach(batch -> assertThat(batch.join().status()).isEqualTo(200));
        }
    }

    private TestHttp.Response unknownConversationsBatch() {
        String run = UUID.randomUUID().toString();
        return http().postJson("/v1/messages/batch", bearer(tokens.appToken(appId, "messages:write")),
                Map.of("messages", IntStream.range(0, 100).mapToObj(i -> Map.of("conversationId", "nowhere-" + run + "-" + i,
                        "idempotencyKey", "k" + i, "message", Map.of("type", "TEXT", "text", "hello"))).toList()));
    }
}
