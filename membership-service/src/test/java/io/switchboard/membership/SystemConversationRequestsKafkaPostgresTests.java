package io.switchboard.membership;

import io.switchboard.events.membership.ConversationMember;
import io.switchboard.events.membership.ConversationState;
import io.switchboard.events.membership.ConversationType;
import io.switchboard.events.membership.SystemConversationRequest;
import io.switchboard.platform.testing.ServiceIntegrationTest;
import io.switchboard.platform.testing.TestApps;
import io.switchboard.platform.testing.TestHttp;
import io.switchboard.platform.testing.TestProducers;
import io.switchboard.platform.testing.TopicProbe;
import io.switchboard.schemas.SystemConversations;
import io.switchboard.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static io.switchboard.platform.testing.TestHttp.bearer;
import static org.assertj.core.api.Assertions.assertThat;

/** message-service routing asks for users' system conversations on membership.requests. */
class SystemConversationRequestsKafkaPostgresTests extends ServiceIntegrationTest {

    @BeforeEach
    void users() {
        TestApps.active(appId);
        TestUsers.provision(http(), appId, List.of("alice", "bob", "leaver"));
        TestHttp.Response deactivated = http().send("PATCH", "/v1/users/leaver", app(), Map.of("active", false));
        assertThat(deactivated.status()).as(deactivated.body()).isEqualTo(200);
    }

    String app() {
        return bearer(tokens.appToken(appId, "users:write", "conversations:write", "conversations:read"));
    }

    SystemConversationRequest request(String userId, String source) {
        return SystemConversationRequest.newBuilder().setAppId(appId).setUserId(userId).setSource(source)
                .setRequestedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS)).build();
    }

    void send(String userId, String source) {
        TestProducers.sendAvro(Topics.MEMBERSHIP_REQUESTS.name(), Topics.userKey(appId, userId), request(userId, source));
    }

    <V> V awaitValue(String topic, String key) {
        return TopicProbe.<V>awaitRecord(topic, r -> r.key().equals(key)).stream()
                .filter(r -> r.key().equals(key)).findFirst().orElseThrow().value();
    }

    String deadLetterReason(String userId) {
        return TopicProbe.awaitDeadLetterReason(Topics.MEMBERSHIP_REQUESTS_DLT.name(), Topics.userKey(appId, userId));
    }

    @Test
    void aRequestOpensTheUsersSystemConversationOnce() {
        String crm = SystemConversations.id("alice", "crm");
        send("alice", "crm");
        send("alice", "crm");
        send("alice", "hr");

        ConversationState state = awaitValue(Topics.MEMBERSHIP_CHANGES.name(), Topics.conversationKey(appId, crm));
        assertThat(state.getType()).isEqualTo(ConversationType.SYSTEM);
        assertThat(state.getSource()).isEqualTo("crm");
        assertThat(state.getMemberCount()).isOne();
        ConversationMember alice = awaitValue(Topics.MEMBERSHIP_MEMBERS.name(), Topics.memberKey(appId, crm, "alice"));
        assertThat(alice.getUserId()).isEqualTo("alice");

        // requests of one user are applied in order: once hr's conversation is out, the repeated request was applied
        awaitValue(Topics.MEMBERSHIP_CHANGES.name(), Topics.conversationKey(appId, SystemConversations.id("alice", "hr")));
        List<ConsumerRecord<String, ConversationState>> changes = TopicProbe.readToEnd(Topics.MEMBERSHIP_CHANGES.name());
        assertThat(changes).filteredOn(r -> r.key().equals(Topics.conversationKey(appId, crm))).hasSize(1);
        assertThat(http().get("/v1/conversations/" + crm, app()).json().get("version").asLong()).isOne();

        TestHttp.Response overHttp = http().postJson("/v1/conversations", app(), Map.of("type", "SYSTEM",
                "source", "crm", "members", List.of(Map.of("userId", "alice"))));
        assertThat(overHttp.status()).as("the same conversation, already there").isEqualTo(200);
        assertThat(overHttp.text("conversationId")).isEqualTo(crm);
    }

    @Test
    void unknownOrInactiveUsersAndInvalidRequestsAreDeadLetteredWithTheReason() {
        send("ghost", "crm");
        send("leaver", "crm");
        send("bob", "no such/source");
        TestProducers.sendAvro(Topics.MEMBERSHIP_REQUESTS.name(), Topics.userKey(appId, "not-bob"), request("bob", "crm"));
        TestProducers.sendRaw(Topics.MEMBERSHIP_REQUESTS.name(), Topics.userKey(appId, "raw"),
                "not avro".getBytes(StandardCharsets.UTF_8));
        send("bob", "after-bad");

        assertThat(deadLetterReason("ghost")).isEqualTo("unknown-user");
        assertThat(deadLetterReason("leaver")).isEqualTo("inactive-user");
        assertThat(deadLetterReason("bob")).isEqualTo("validation-failed");
        assertThat(deadLetterReason("not-bob")).isEqualTo("validation-failed");
        assertThat(deadLetterReason("raw")).isEqualTo("malformed-record");
        ConversationState after = awaitValue(Topics.MEMBERSHIP_CHANGES.name(),
                Topics.conversationKey(appId, SystemConversations.id("bob", "after-bad")));
        assertThat(after.getSource()).isEqualTo("after-bad");
        assertThat(http().get("/v1/conversations/" + SystemConversations.id("leaver", "crm"), app()).status())
                .isEqualTo(404);
    }
}
