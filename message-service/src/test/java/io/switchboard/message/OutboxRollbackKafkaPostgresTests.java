package io.switchboard.message;

import io.switchboard.events.chat.ChatMessageEvent;
import io.switchboard.platform.testing.ServiceIntegrationTest;
import io.switchboard.platform.testing.TestApps;
import io.switchboard.platform.testing.TestHttp;
import io.switchboard.platform.testing.TestMembership;
import io.switchboard.platform.testing.TopicProbe;
import io.switchboard.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.switchboard.platform.testing.TestHttp.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A send whose transaction fails after the message and its event were written (a database trigger
 * makes the last statement of the transaction fail) stores nothing, publishes nothing and uses no
 * seq: the event is published only with the commit that stores the message.
 */
class OutboxRollbackKafkaPostgresTests extends ServiceIntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @BeforeEach
    void groupAndSabotage() {
        TestApps.active(appId);
        TestMembership.group(appId, "team", "Team", List.of("alice", "saboteur"));
        await().atMost(Duration.ofSeconds(10)).until(() -> http().get("/v1/conversations/team/messages",
                token("saboteur")).status() == 200);
        // the sender's read position is the last write of a send, after the outbox append
        jdbc.sql("""
                CREATE OR REPLACE FUNCTION fail_for_saboteur() RETURNS trigger AS $$
                BEGIN RAISE EXCEPTION 'injected failure after the outbox append'; END $$ LANGUAGE plpgsql""").update();
        jdbc.sql("CREATE TRIGGER fail_for_saboteur BEFORE INSERT OR UPDATE ON user_conversations FOR EACH ROW "
                + "WHEN (NEW.user_id = 'saboteur') EXECUTE FUNCTION fail_for_saboteur()").update();
    }

    @AfterEach
    void removeSabotage() {
        jdbc.sql("DROP TRIGGER IF EXISTS fail_for_saboteur ON user_conversations").update();
    }

    @Test
    void aRolledBackSendStoresNothingPublishesNothingAndUsesNoSeq() {
        TestHttp.Response failed = send("saboteur", "never stored");
        assertThat(failed.status()).isEqualTo(500);
        assertThat(failed.contentType()).startsWith("application/problem+json");
        assertThat(failed.body()).doesNotContain("injected failure");

        TestHttp.Response next = send("alice", "stored");
        assertThat(next.json().get("seq").asLong()).as("the rolled-back send used no seq").isEqualTo(1);

        String key = Topics.conversationKey(appId, "team");
        List<ConsumerRecord<String, ChatMessageEvent>> records = TopicProbe.awaitRecord(Topics.CHAT_MESSAGES.name(),
                r -> key.equals(r.key()) && r.value().getMessage() != null
                        && r.value().getMessage().getText().equals("stored"));
        assertThat(records.stream().filter(r -> key.equals(r.key()) && r.value().getMessage() != null)
                .map(r -> r.value().getMessage().getText())).containsExactly("stored");
        assertThat(http().get("/v1/conversations/team/messages", token("alice")).json().get("messages")).hasSize(1);
    }

    private TestHttp.Response send(String userId, String text) {
        return http().postJson("/v1/conversations/team/messages", token(userId), Map.of("type", "TEXT", "text", text),
                Map.of("Idempotency-Key", "k-" + userId));
    }

    private String token(String userId) {
        return bearer(tokens.userToken(appId, userId, "messages:read", "messages:write"));
    }
}
