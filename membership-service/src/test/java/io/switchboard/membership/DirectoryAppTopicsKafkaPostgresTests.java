package io.switchboard.membership;

import io.switchboard.events.directory.DirectoryUser;
import io.switchboard.platform.testing.ServiceIntegrationTest;
import io.switchboard.platform.testing.TestAppTopics;
import io.switchboard.platform.testing.TestApps;
import io.switchboard.platform.testing.TestProducers;
import io.switchboard.platform.testing.TopicProbe;
import io.switchboard.schemas.Topics;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static io.switchboard.platform.testing.TestHttp.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An app's directory publishes on its own {@code directory.users.<appId>} (written with the app's
 * Kafka credentials): directory sync finds the topic after start, and a record there naming another
 * app is dead-lettered, whatever its key or value says.
 */
class DirectoryAppTopicsKafkaPostgresTests extends ServiceIntegrationTest {

    private final String hexAppId = TestAppTopics.newAppId();

    @Test
    void recordsOnTheAppsOwnTopicProvisionItsUsersAndTombstonesDeactivate() {
        Topics.AppTopics topics = TestAppTopics.create(hexAppId);
        TestApps.active(hexAppId);
        String topic = topics.directoryUsers().name();

        TestProducers.sendAvro(topic, hexAppId + "/hr-1", directoryUser(hexAppId, "hr-1"));

        String token = bearer(tokens.appToken(hexAppId, "users:read"));
        await().atMost(Duration.ofSeconds(30)).until(() -> http().get("/v1/users/hr-1", token).status() == 200);
        TestProducers.sendAvro(topic, hexAppId + "/hr-1", null);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> !http().get("/v1/users/hr-1", token).json().get("active").asBoolean());
    }

    @Test
    void aRecordOrTombstoneNamingAnotherAppIsDeadLetteredAsTenantMismatch() {
        Topics.AppTopics topics = TestAppTopics.create(hexAppId);
        TestApps.active(hexAppId);
        TestApps.active(appId);
        String topic = topics.directoryUsers().name();
        String deadLetters = topics.directoryUsers().deadLetter().name();

        TestProducers.sendAvro(topic, appId + "/forged", directoryUser(appId, "forged"));
        TestProducers.sendAvro(topic, hexAppId + "/smuggled", directoryUser(appId, "smuggled"));
        TestProducers.sendAvro(topic, appId + "/victim", null);

        assertThat(TopicProbe.awaitDeadLetterReason(deadLetters, appId + "/forged")).isEqualTo("tenant-mismatch");
        assertThat(TopicProbe.awaitDeadLetterReason(deadLetters, hexAppId + "/smuggled")).isEqualTo("tenant-mismatch");
        assertThat(TopicProbe.awaitDeadLetterReason(deadLetters, appId + "/victim")).isEqualTo("tenant-mismatch");
        assertThat(http().get("/v1/users/forged", bearer(tokens.appToken(appId, "users:read"))).status()).isEqualTo(404);
    }

    private static DirectoryUser directoryUser(String appId, String userId) {
        return DirectoryUser.newBuilder().setAppId(appId).setUserId(userId).setDisplayName(userId)
                .setUpdatedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS)).build();
    }
}
