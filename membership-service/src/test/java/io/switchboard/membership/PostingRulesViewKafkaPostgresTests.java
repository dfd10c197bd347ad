package io.switchboard.membership;

import io.switchboard.platform.membership.ConversationsView;
import io.switchboard.platform.membership.MembersView;
import io.switchboard.platform.membership.MembershipView;
import io.switchboard.platform.membership.MembershipView.PostingRefusal;
import io.switchboard.platform.testing.ServiceIntegrationTest;
import io.switchboard.platform.testing.TestApps;
import io.switchboard.platform.testing.TestHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static io.switchboard.platform.testing.TestHttp.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The posting rules set over HTTP reach a service's membership view through the two topics, and
 * the view applies them as message-service will when it accepts a message.
 */
class PostingRulesViewKafkaPostgresTests extends ServiceIntegrationTest {

    @Autowired
    KafkaProperties kafkaProperties;

    ConversationsView conversations;
    MembersView members;
    MembershipView view;

    @BeforeEach
    void teamAndViews() {
        TestApps.active(appId);
        TestUsers.provision(http(), appId, List.of("olivia", "adam", "mia", "max", "vip"));
        TestHttp.Response created = http().postJson("/v1/conversations", app(), Map.of("conversationId", "team",
                "type", "GROUP", "members", List.of(Map.of("userId", "olivia", "role", "OWNER"),
                        Map.of("userId", "adam", "role", "ADMIN"), Map.of("userId", "mia"), Map.of("userId", "max"),
                        Map.of("userId", "vip"))));
        assertThat(created.status()).isEqualTo(201);
        conversations = new ConversationsView(kafkaProperties);
        members = new MembersView(kafkaProperties);
        conversations.start();
        members.start();
        view = new MembershipView(conversations, members);
    }

    @AfterEach
    void stopViews() {
        conversations.stop();
        members.stop();
    }

    String app() {
        return bearer(tokens.appToken(appId, "users:write", "conversations:write", "conversations:read"));
    }

    void change(String path, Map<String, Object> body) {
        TestHttp.Response response = http().send("PATCH", path, app(), body);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    void awaitRefusal(String userId, PostingRefusal expected) {
        Supplier<PostingRefusal> refusal = () -> view.postingRefusal(appId, "team", userId, Instant.now());
        await().atMost(Duration.ofSeconds(20)).until(() -> refusal.get() == expected);
    }

    @Test
    void postingRulesFollowTheirChanges() {
        awaitRefusal("mia", PostingRefusal.NONE);
        awaitRefusal("stranger", PostingRefusal.NOT_A_MEMBER);

        change("/v1/conversations/team/members/max",
                Map.of("mutedUntil", Instant.now().plus(1, ChronoUnit.HOURS).toString()));
        awaitRefusal("max", PostingRefusal.MUTED);
        change("/v1/conversations/team/members/max", Map.of("mutedUntil", Instant.EPOCH.toString()));
        awaitRefusal("max", PostingRefusal.NONE);

        change("/v1/conversations/team/members/vip", Map.of("mutedAllExempt", true));
        change("/v1/conversations/team", Map.of("mutedAll", true));
        awaitRefusal("mia", PostingRefusal.MUTED_ALL);
        awaitRefusal("vip", PostingRefusal.NONE);
        awaitRefusal("adam", PostingRefusal.NONE);

        change("/v1/conversations/team", Map.of("mutedAll", false, "postingPolicy", "ADMINS"));
        awaitRefusal("mia", PostingRefusal.ADMINS_ONLY);
        awaitRefusal("olivia", PostingRefusal.NONE);

        change("/v1/conversations/team", Map.of("archived", true));
        awaitRefusal("olivia", PostingRefusal.ARCHIVED);

        assertThat(http().delete("/v1/conversations/team", app()).status()).isEqualTo(204);
        awaitRefusal("olivia", PostingRefusal.NOT_A_MEMBER);
        await().atMost(Duration.ofSeconds(20)).until(() -> view.memberIds(appId, "team").isEmpty());
    }
}
