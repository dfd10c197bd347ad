package io.switchboard.membership;

import io.switchboard.platform.erasure.AppErasures;
import io.switchboard.platform.testing.ServiceIntegrationTest;
import io.switchboard.platform.testing.TestApps;
import io.switchboard.platform.testing.TestErasures;
import io.switchboard.platform.testing.TestHttp;
import io.switchboard.platform.testing.TopicProbe;
import io.switchboard.schemas.Topics;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.switchboard.platform.testing.TestHttp.bearer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deleting an app erases its users, conversations and directory here, with a tombstone for each
 * user, member and conversation it had published (so the compacted topics and every other service
 * forget them too, and message-service erases the conversations' messages).
 */
class AppErasureKafkaPostgresTests extends ServiceIntegrationTest {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    AppErasures erasures;

    @Test
    void deletingAnAppErasesItsUsersAndConversationsWithTheirTombstones() {
        for (String app : List.of(appId, otherAppId)) {
            TestApps.active(app);
            TestUsers.provision(http(), app, List.of("alice", "bob"));
            TestHttp.Response created = http().postJson("/v1/conversations",
                    bearer(tokens.appToken(app, "conversations:write")), Map.of("conversationId", "deals", "type", "GROUP",
                            "name", "Deals", "members", List.of(Map.of("userId", "alice", "role", "OWNER"), Map.of("userId", "bob"))));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
        }

        TestApps.deleted(appId);

        String erased = TestErasures.eraseNow(jdbc, erasures, appId);
        assertThat(erased).contains("conversations=1", "conversation_members=2", "users=2");
        assertThat(TestErasures.rowsLeft(jdbc, appId, Set.of())).isEmpty();
        assertThat(TestErasures.rowsLeft(jdbc, otherAppId, Set.of())).containsEntry("users", 2L);
        TopicProbe.awaitRecord(Topics.MEMBERSHIP_CHANGES.name(), r -> r.key().equals(appId + "/deals") && r.value() == null);
        TopicProbe.awaitRecord(Topics.MEMBERSHIP_MEMBERS.name(), r -> r.key().equals(appId + "/deals/bob") && r.value() == null);
        TopicProbe.awaitRecord(Topics.MEMBERSHIP_USERS.name(), r -> r.key().equals(appId + "/alice") && r.value() == null);
    }
}
