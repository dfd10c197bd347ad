package io.switchboard.message;

import io.switchboard.events.membership.ConversationState;
import io.switchboard.events.membership.MemberRole;
import io.switchboard.platform.testing.ServiceIntegrationTest;
import io.switchboard.platform.testing.TestApps;
import io.switchboard.platform.testing.TestHttp;
import io.switchboard.platform.testing.TestMembership;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static io.switchboard.platform.testing.TestHttp.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Deleting a conversation erases its messages here, and a conversation created again under the
 * same id starts with an empty history, continuing the seqs: whether the deletion's tombstone came
 * first, or the new conversation did (this service's erasure consumer lagging behind its view).
 */
class ConversationErasureKafkaPostgresTests extends ServiceIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String CONVERSATION = "launch";

    @Autowired
    JdbcClient jdbc;
    @Autowired
    KafkaListenerEndpointRegistry listeners;

    private final Instant firstCreated = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);

    @BeforeEach
    void aConversationWithHistoryExists() {
        TestApps.active(appId);
        publish(firstCreated, 1, List.of("olivia", "alice"));
        await().atMost(WAIT).until(() -> history("alice").status() == 200);
        send("alice", "the launch date is secret", "k1");
        send("olivia", "keep it between us", "k2");
        http().postJson("/v1/conversations/" + CONVERSATION + "/read", token("alice"), Map.of("seq", 2));
        assertThat(stored("messages")).isEqualTo(2);
    }

    @Test
    void deletingTheConversationErasesItsMessagesAndANewOneWithTheSameIdStartsEmpty() {
        TestMembership.deleted(appId, CONVERSATION);

        await().atMost(WAIT).until(() -> stored("messages") == 0);
        assertThat(stored("user_conversations")).as("read states").isZero();
        assertThat(jdbc.sql("SELECT count(*) FROM idempotency_keys WHERE app_id = ?").param(appId).query(Long.class).single())
                .isZero();

        publish(Instant.now().truncatedTo(ChronoUnit.MILLIS), 1, List.of("bob", "alice"));
        await().atMost(WAIT).until(() -> history("bob").status() == 200);
        assertThat(messages(history("bob"))).isEmpty();
        assertThat(messages(history("alice"))).isEmpty();

        TestHttp.Response again = send("alice", "hello, new team", "k1");
        assertThat(again.json().get("seq").asLong()).as("seqs are never reused").isEqualTo(3);
        assertThat(messages(history("bob"))).containsExactly("hello, new team");
        JsonNode bobsEntry = http().get("/v1/me/conversations/" + CONVERSATION, token("bob")).json();
        assertThat(bobsEntry.get("unread").asLong()).as("only the new conversation's messages count").isEqualTo(1);
        assertThat(bobsEntry.get("lastMessage").get("text").asString()).isEqualTo("hello, new team");
    }

    @Test
    void aConversationCreatedAgainBeforeTheTombstoneIsReadStillShowsNothingOfTheOldOne() {
        MessageListenerContainer erasures = listeners.getListenerContainer("conversation-erasure");
        erasures.pause(); // the tombstone consumer lags behind the view
        await().atMost(WAIT).until(erasures::isContainerPaused);
        try {
            TestMembership.deleted(appId, CONVERSATION);
            publish(Instant.now().plusMillis(5).truncatedTo(ChronoUnit.MILLIS), 1, List.of("bob", "alice"));
            await().atMost(WAIT).until(() -> http().get("/v1/me/conversations", token("bob")).body().contains(CONVERSATION));

            JsonNode bobsEntry = http().get("/v1/me/conversations/" + CONVERSATION, token("bob")).json();
            assertThat(bobsEntry.get("unread").asLong()).isZero();
            assertThat(bobsEntry.get("lastMessage").isNull()).isTrue();
            assertThat(messages(history("bob"))).isEmpty();
            assertThat(stored("messages")).isZero();
            send("bob", "first of the new team", "k3");
        } finally {
            erasures.resume();
        }
        // the tombstone, read late, erases nothing of the new conversation
        await().atMost(WAIT).until(() -> jdbc.sql("SELECT erased_until IS NOT NULL FROM conversation_sequences "
                + "WHERE app_id = ? AND conversation_id = ?").params(appId, CONVERSATION).query(Boolean.class).single());
        assertThat(messages(history("alice"))).containsExactly("first of the new team");
    }

    @Test
    void aMessageForTheDeletedConversationFromAViewBehindTheDeletionIsRefused() {
        TestMembership.deleted(appId, CONVERSATION);
        await().atMost(WAIT).until(() -> stored("messages") == 0);
        // as an instance whose view has not read the deletion yet sees it: the old conversation
        publish(firstCreated, 2, List.of("olivia", "alice"));
        await().atMost(WAIT).until(() -> history("alice").status() == 200);

        TestHttp.Response refused = http().postJson(path(), token("alice"), Map.of("type", "TEXT", "text", "too late"),
                Map.of("Idempotency-Key", "k4"));

        assertThat(refused.status()).as(refused.body()).isEqualTo(404);
        assertThat(refused.text("code")).isEqualTo("conversation-not-found");
        assertThat(stored("messages")).isZero();
    }

    private void publish(Instant createdAt, long version, List<String> members) {
        for (int i = 0; i < members.size(); i++) {
            TestMembership.member(appId, CONVERSATION, members.get(i), i == 0 ? MemberRole.OWNER : MemberRole.MEMBER, version);
        }
        ConversationState state = TestMembership.groupState(appId, CONVERSATION, version, members.size())
                .setName("Launch").setCreatedAt(createdAt).build();
        TestMembership.publish(state);
    }

    private long stored(String table) {
        return jdbc.sql("SELECT count(*) FROM " + table + " WHERE app_id = ? AND conversation_id = ?")
                .params(appId, CONVERSATION).query(Long.class).single();
    }

    private TestHttp.Response send(String userId, String text, String idempotencyKey) {
        TestHttp.Response sent = http().postJson(path(), token(userId), Map.of("type", "TEXT", "text", text),
                Map.of("Idempotency-Key", idempotencyKey));
        assertThat(sent.status()).as(sent.body()).isEqualTo(201);
        return sent;
    }

    private TestHttp.Response history(String userId) {
        return http().get(path(), token(userId));
    }

    private static List<String> messages(TestHttp.Response history) {
        assertThat(history.status()).as(history.body()).isEqualTo(200);
        return history.json().get("messages").valueStream().map(m -> m.get("text").asString()).toList();
    }

    private String token(String userId) {
        return bearer(tokens.userToken(appId, userId, "messages:read", "messages:write"));
    }

    private static String path() {
        return "/v1/conversations/" + CONVERSATION + "/messages";
    }
}
