package io.switchboard.push;

import io.switchboard.platform.membership.MembershipView;
import io.switchboard.platform.testing.ServiceIntegrationTest;
import io.switchboard.platform.testing.TestApps;
import io.switchboard.platform.testing.TestMembership;
import io.switchboard.platform.testing.TestWebSocket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Watching the presence of contacts: current state at once, then every going on- or offline. */
class PresenceSubscriptionWebSocketTests extends ServiceIntegrationTest {

    static final Duration WAIT = Duration.ofSeconds(20);

    @Autowired
    MembershipView membership;

    @BeforeEach
    void aliceAndBobShareAConversationMalloryDoesNot() {
        TestApps.active(appId);
        TestMembership.group(appId, "team", "Team", List.of("alice", "bob"));
        TestMembership.group(appId, "elsewhere", "Elsewhere", List.of("mallory"));
        // who shares a conversation with whom is read from the membership view, which follows the topic
        await().atMost(WAIT).until(() -> membership.isMember(appId, "team", "bob")
                && membership.isMember(appId, "elsewhere", "mallory"));
    }

    @Test
    void aWatcherSeesAContactComeOnlineWithTheirDevicesAndGoOfflineWithLastSeen() throws Exception {
        try (TestWebSocket alice = connect("alice", "laptop")) {
            alice.send("{\"type\":\"presence.subscribe\",\"userIds\":[\"bob\"]}");
            JsonNode initially = presenceOf(alice, "bob");
            assertThat(initially.get("online").asBoolean()).isFalse();

            TestWebSocket bob = connect("bob", "phone");
            JsonNode online = presenceOf(alice, "bob");
            assertThat(online.get("online").asBoolean()).isTrue();
            assertThat(online.get("devices").valueStream().map(JsonNode::asString).toList()).containsExactly("phone");

            bob.close();
            JsonNode offline = presenceOf(alice, "bob");
            assertThat(offline.get("online").asBoolean()).isFalse();
            assertThat(offline.get("lastSeenAt").isNull()).isFalse();

            alice.send("{\"type\":\"presence.unsubscribe\",\"userIds\":[\"bob\"]}");
            alice.send("{\"type\":\"ping\"}");
            alice.awaitType("pong", WAIT);
            try (TestWebSocket bobAgain = connect("bob", "phone")) {
                alice.send("{\"type\":\"ping\"}");
                alice.awaitType("pong", WAIT);
                assertThat(alice.pending()).as("no presence after unsubscribing").isZero();
            }
        }
    }

    @Test
    void presenceIsVisibleOnlyAmongPeopleWhoShareAConversation() throws Exception {
        try (TestWebSocket alice = connect("alice", "laptop")) {
            alice.send("{\"type\":\"presence.subscribe\",\"userIds\":[\"mallory\"]}");
            assertThat(alice.awaitType("error", WAIT).get("code").asString()).isEqualTo("presence-not-allowed");
            alice.send("{\"type\":\"presence.subscribe\",\"conversationId\":\"elsewhere\"}");
            assertThat(alice.awaitType("error", WAIT).get("code").asString()).isEqualTo("presence-not-allowed");
            alice.send("{\"type\":\"presence.subscribe\"}");
            assertThat(alice.awaitType("error", WAIT).get("code").asString()).isEqualTo("invalid-presence-subscription");
        }
    }

    @Test
    void subscribingToAConversationWatchesItsMembers() throws Exception {
        try (TestWebSocket alice = connect("alice", "laptop")) {
            alice.send("{\"type\":\"presence.subscribe\",\"conversationId\":\"team\"}");
            Map<String, Boolean> online = new HashMap<>();
            while (online.size() < 2) {   // one frame per member, in no particular order
                JsonNode frame = alice.awaitType("presence.changed", WAIT);
                online.put(frame.get("userId").asString(), frame.get("online").asBoolean());
            }
            assertThat(online).containsExactlyInAnyOrderEntriesOf(Map.of("alice", true, "bob", false));
        }
    }

    private JsonNode presenceOf(TestWebSocket socket, String userId) throws InterruptedException {
        return socket.await(frame -> "presence.changed".equals(frame.path("type").asString())
                && userId.equals(frame.path("userId").asString()), WAIT);
    }

    private TestWebSocket connect(String userId, String device) throws InterruptedException {
        TestWebSocket socket = TestWebSocket.connect("ws://127.0.0.1:" + port + "/v1/ws",
                tokens.userTokenForDevice(appId, userId, device, "push:connect"));
        socket.awaitType("session.ready", WAIT);
        return socket;
    }
}
