package io.switchboard.message;

import io.switchboard.events.membership.ConversationState;
import io.switchboard.events.membership.ConversationType;
import io.switchboard.events.membership.Member;
import io.switchboard.events.membership.MemberRole;
import io.switchboard.platform.testing.TokenMatrixTest;
import io.switchboard.platform.testing.TestApps;
import io.switchboard.platform.testing.TestHttp;
import io.switchboard.platform.testing.TestProducers;
import io.switchboard.platform.testing.TestTokenIssuer;
import io.switchboard.platform.testing.TokenMatrix.Endpoint;
import io.switchboard.schemas.Topics;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static io.switchboard.platform.testing.TestHttp.bearer;
import static org.awaitility.Awaitility.await;

/** Every message-service endpoint refuses bad, foreign and under-scoped tokens. */
class MessageTokenMatrixTests extends TokenMatrixTest {

    @BeforeEach
    void appsAndAConversationExist() {
        TestApps.active(appId);
        TestApps.active(otherAppId);
        TestProducers.sendAvro(Topics.MEMBERSHIP_CHANGES.name(), Topics.conversationKey(appId, "matrix"),
                ConversationState.newBuilder().setAppId(appId).setConversationId("matrix")
                        .setType(ConversationType.GROUP).setVersion(1)
                        .setMembers(List.of(Member.newBuilder().setUserId("alice").setRole(MemberRole.OWNER).build()))
                        .setUpdatedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS)).build());
        String token = bearer(TestTokenIssuer.shared().appToken(appId, "messages:read"));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> http().get("/v1/conversations/matrix/messages", token).status() == 200);
    }

    @Override
    protected List<Endpoint> endpoints() {
        return List.of(new Endpoint("GET", "/v1/conversations/{conversationId}/messages",
                "/v1/conversations/matrix/messages", null, "messages:read", 404));
    }
}
