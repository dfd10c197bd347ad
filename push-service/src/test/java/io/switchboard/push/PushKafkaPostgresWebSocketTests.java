package io.switchboard.push;

import io.switchboard.events.chat.ChatEventType;
import io.switchboard.events.chat.ChatMessage;
import io.switchboard.events.chat.ChatMessageEvent;
import io.switchboard.events.chat.ContentType;
import io.switchboard.events.chat.SenderType;
import io.switchboard.events.membership.MemberChange;
import io.switchboard.events.membership.MemberRole;
import io.switchboard.platform.kafka.DeadLetters;
import io.switchboard.platform.testing.ServiceIntegrationTest;
import io.switchboard.platform.testing.TestApps;
import io.switchboard.platform.testing.TestMembership;
import io.switchboard.platform.testing.TestProducers;
import io.switchboard.platform.testing.TestWebSocket;
import io.switchboard.platform.testing.TopicProbe;
import io.switchboard.schemas.TopicSpec;
import io.switchboard.schemas.Topics;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class PushKafkaPostgresWebSocketTests extends ServiceIntegrationTest {

    static final Duration WAIT = Duration.ofSeconds(20);

    @BeforeEach
    void salesWinsHasAliceAndBob() {
        TestApps.active(appId);
        TestApps.active(otherAppId);
        TestMembership.group(appId, "sales-wins", "Sales wins", List.of("alice", "bob"));
    }

    String ws() {
        return "ws://127.0.0.1:" + port + "/v1/ws";
    }

    TestWebSocket connect(String userId) throws InterruptedException {
        return connectAs(appId, userId);
    }

    TestWebSocket connectAs(String app, String userId) throws InterruptedException {
        TestWebSocket socket = TestWebSocket.connect(ws(), tokens.userToken(app, userId, "push:connect"));
        socket.awaitType("session.ready", WAIT);
        return socket;
    }

    @Test
    void chatEventReachesEveryDeviceOfEveryConnectedMemberAndNobodyElse() throws Exception {
        try (TestWebSocket aliceLaptop = connect("alice");
             TestWebSocket alicePhone = connect("alice");
             TestWebSocket bob = connect("bob");
             TestWebSocket mallory = connect("mallory")) {

            TestProducers.sendAvro(Topics.CHAT_MESSAGES.name(), Topics.conversationKey(appId, "sales-wins"),
                    chatEvent(1, "Deal won: ACME"));

            for (TestWebSocket socket : List.of(aliceLaptop, alicePhone, bob)) {
                JsonNode frame = socket.awaitType("message.created", WAIT);
                assertThat(frame.get("conversationId").asString()).isEqualTo("sales-wins");
                assertThat(frame.get("seq").asLong()).isEqualTo(1);
                assertThat(frame.get("text").asString()).isEqualTo("Deal won: ACME");
            }
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> mallory.pending() == 0);
        }
    }

    @Test
    void readinessWaitsForTheMembershipAndPresenceViews() {
        var readiness = management().get("/actuator/health/readiness", null);
        assertThat(readiness.status()).isEqualTo(200);
        JsonNode views = readiness.json().get("components").get("views").get("details");
        for (String view : List.of("conversations", "members", "presence", "apps", "users", "revocations")) {
            assertThat(views.get(view).get("state").asString()).as(view).isEqualTo("up");
            assertThat(views.get(view).get("lag").asLong()).as(view).isGreaterThanOrEqualTo(0);
        }
    }

    @Test
    void aUserIsToldAtOnceWhenTheyJoinChangeRoleOrLeaveAConversation() throws Exception {
        try (TestWebSocket carol = connect("carol")) {
            TestMembership.member(appId, "sales-wins", "carol", MemberRole.MEMBER, 2);
            JsonNode joined = carol.awaitType("membership.changed", WAIT);
            assertThat(joined.get("conversationId").asString()).isEqualTo("sales-wins");
            assertThat(joined.get("change").asString()).isEqualTo("joined");
            assertThat(joined.get("role").asString()).isEqualTo("MEMBER");

            TestMembership.publish(TestMembership.memberRecord(appId, "sales-wins", "carol", MemberRole.ADMIN, 3)
                    .setChange(MemberChange.ROLE_CHANGED).build());
            JsonNode promoted = carol.await(f -> f.get("type").asString().equals("membership.changed")
                    && f.get("change").asString().equals("role-changed"), WAIT);
            assertThat(promoted.get("role").asString()).isEqualTo("ADMIN");

            TestMembership.removed(appId, "sales-wins", "carol");
            JsonNode left = carol.await(f -> f.get("type").asString().equals("membership.changed")
                    && f.get("change").asString().equals("left"), WAIT);
            assertThat(left.get("conversationId").asString()).isEqualTo("sales-wins");
        }
    }

    @Test
    void membersAreToldWhenTheirConversationIsRenamedOrArchivedButNotOfEveryNewMember() throws Exception {
        try (TestWebSocket bob = connect("bob")) {
            TestMembership.publish(TestMembership.groupState(appId, "sales-wins", 2, 3).setName("Sales wins").build());
            TestMembership.publish(TestMembership.groupState(appId, "sales-wins", 3, 3).setName("Sales wins EMEA")
                    .setArchived(true).build());

            JsonNode changed = bob.awaitType("conversation.changed", WAIT);
            assertThat(changed.get("conversationId").asString()).isEqualTo("sales-wins");
            assertThat(changed.get("name").asString()).isEqualTo("Sales wins EMEA");
            assertThat(changed.get("archived").asBoolean()).isTrue();
            assertThat(changed.get("conversationVersion").asLong()).as("not for version 2: only the member count changed")
                    .isEqualTo(3);
        }
    }

    @Test
    void answersPing() throws Exception {
        try (TestWebSocket alice = connect("alice")) {
            alice.send("{\"type\":\"ping\"}");
            assertThat(alice.awaitType("pong", WAIT)).isNotNull();
        }
    }

    /** Refusals are close codes with a reason, which a browser page can read (it sees nothing of an HTTP 401). */
    @Test
    void handshakeWithoutAValidUserTokenIsClosedWithTheReason() throws Exception {
        assertThat(TestWebSocket.refusal("ws://127.0.0.1:" + port + "/v1/ws", WAIT)).isEqualTo("4401 token missing");
        assertThat(TestWebSocket.refusal(ws(), "not-a-jwt", WAIT)).isEqualTo("4401 token invalid");
        assertThat(TestWebSocket.refusal(ws(), tokens.expiredUserToken(appId, "alice", "push:connect"), WAIT))
                .startsWith("4401 token refused: Jwt expired");
        assertThat(TestWebSocket.refusal(ws(), tokens.forgedAppToken(appId, "push:connect"), WAIT)).isEqualTo("4401 token invalid");
        assertThat(TestWebSocket.refusal(ws(), tokens.unsignedAppToken(appId, "push:connect"), WAIT)).isEqualTo("4401 token invalid");
        assertThat(TestWebSocket.refusal(ws(), tokens.appTokenWithCertificate(appId, "cert-revoked", "push:connect"), WAIT))
                .isEqualTo("4401 token refused: The certificate this token was obtained with is revoked");
        assertThat(TestWebSocket.refusal(ws(), tokens.appToken(appId, "push:connect"), WAIT))
                .isEqualTo("4403 a user token with scope push:connect is needed");
        assertThat(TestWebSocket.refusal(ws(), tokens.userToken(appId, "alice", "messages:read"), WAIT))
                .isEqualTo("4403 a user token with scope push:connect is needed");
    }

    /** A token the gateway cannot verify because auth-service's key set does not answer may be good: try again later. */
    @Test
    void aHandshakeWhoseTokenCannotBeVerifiedForNowIsToldToReconnectLater() throws Exception {
        String newKeyToken = tokens.userTokenOfANewKey(appId, "alice", "push:connect");
        tokens.jwksAnswers(false);
        try {
            assertThat(TestWebSocket.refusal(ws(), newKeyToken, WAIT))
                    .isEqualTo("1013 token cannot be verified right now: reconnect later");
        } finally {
            tokens.jwksAnswers(true);
        }
        assertThat(TestWebSocket.refusal(ws(), newKeyToken, WAIT)).isEqualTo("4401 token invalid");
    }

    @Test
    void aUserOfAnotherAppWithTheSameUserIdReceivesNothing() throws Exception {
        try (TestWebSocket alice = connect("alice");
             TestWebSocket otherAlice = connectAs(otherAppId, "alice")) {
            TestProducers.sendAvro(Topics.CHAT_MESSAGES.name(), Topics.conversationKey(appId, "sales-wins"),
                    chatEvent(1, "for app A only"));

            assertThat(alice.awaitType("message.created", WAIT).get("text").asString()).isEqualTo("for app A only");
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> otherAlice.pending() == 0);
        }
    }

    @Test
    void suspendingTheAppClosesItsOpenSessions() throws Exception {
        try (TestWebSocket alice = connect("alice")) {
            TestApps.suspended(appId);

            assertThat(alice.awaitClose(WAIT)).isEqualTo(4401);
        }
        assertThat(TestWebSocket.refusal(ws(), tokens.userToken(appId, "alice", "push:connect"), WAIT))
                .isEqualTo("4401 token refused: The app is suspended");
    }

    @Test
    void aRepublishedEventIsPushedOnce() throws Exception {
        try (TestWebSocket alice = connect("alice")) {
            ChatMessageEvent event = chatEvent(1, "only once");
            for (int i = 0; i < 3; i++) {
                TestProducers.sendAvro(Topics.CHAT_MESSAGES.name(), Topics.conversationKey(appId, "sales-wins"), event);
            }
            TestProducers.sendAvro(Topics.CHAT_MESSAGES.name(), Topics.conversationKey(appId, "sales-wins"),
                    chatEvent(2, "the next one"));

            assertThat(alice.awaitType("message.created", WAIT).get("seq").asLong()).isEqualTo(1);
            assertThat(alice.awaitType("message.created", WAIT).get("seq").asLong())
                    .as("the copies of seq 1 were dropped").isEqualTo(2);
        }
    }

    @Test
    void anUnreadableChatRecordIsDeadLetteredAndTheEventsAroundItArePushed() throws Exception {
        try (TestWebSocket alice = connect("alice")) {
            String key = Topics.conversationKey(appId, "sales-wins");
            TestProducers.sendAvro(Topics.CHAT_MESSAGES.name(), key, chatEvent(1, "before"));
            TestProducers.sendRaw(Topics.CHAT_MESSAGES.name(), key, "not avro".getBytes(StandardCharsets.UTF_8));
            TestProducers.sendAvro(Topics.CHAT_MESSAGES.name(), key, chatEvent(2, "after"));

            assertThat(alice.awaitType("message.created", WAIT).get("seq").asLong()).isEqualTo(1);
            assertThat(alice.awaitType("message.created", WAIT).get("seq").asLong()).isEqualTo(2);
            assertThat(TopicProbe.awaitDeadLetterReason(Topics.CHAT_MESSAGES.name() + TopicSpec.DEAD_LETTER_SUFFIX, key))
                    .isEqualTo(DeadLetters.MALFORMED_RECORD);
        }
    }

    @Test
    void aClientThatStopsReadingIsClosedToResyncWithoutHoldingBackTheOthers() throws Exception {
        String longText = "x".repeat(4_000);
        try (TestWebSocket alice = connect("alice");
             SilentWebSocketClient bob = SilentWebSocketClient.connect(port,
                     tokens.userToken(appId, "bob", "push:connect"), 4_096)) {
            bob.readUntilText("session.ready", WAIT);
            bob.keepAlive();   // alive (it answers the heartbeat), but it reads nothing from now on

            // ~10 MB for each of them: far more than bob's session buffer and socket buffers hold
            List<ChatMessageEvent> burst = LongStream.rangeClosed(1, 2_500).mapToObj(seq -> chatEvent(seq, longText)).toList();
            TestProducers.sendAllAvro(Topics.CHAT_MESSAGES.name(), Topics.conversationKey(appId, "sales-wins"), burst);

            // 10 MB to one reader can take longer than these tests' 3 s heartbeat timeout on a loaded
            // machine, while the server's pings wait behind the data: alice says she is alive, as a client would
            try (ScheduledExecutorService pings = Executors.newSingleThreadScheduledExecutor()) {
                pings.scheduleWithFixedDelay(() -> alice.send("{\"type\":\"ping\"}"), 1, 1, TimeUnit.SECONDS);
                assertThat(alice.await(frame -> frame.path("seq").asLong() == 2_500, WAIT.multipliedBy(3))
                        .get("type").asString()).isEqualTo("message.created");
            }
            // the server ends bob's connection: with 4500 (resync) when the close frame still fits
            // into the socket, by dropping it when not (bob reads nothing, so it usually does not)
            assertThat(bob.readUntilClose(WAIT)).isIn(4500, -1);
            assertThat(bob.texts()).as("cut off, not sent everything").isLessThan(2_500);
        }
    }

    @Test
    void readPositionsReachEveryMemberOfSmallGroupsButOnlyTheReaderInLargeOnes() throws Exception {
        List<String> crowd = new java.util.ArrayList<>(List.of("alice", "bob"));
        for (int i = 0; i < 120; i++) {
            crowd.add("member-" + i);
        }
        TestMembership.group(appId, "all-hands", "All hands", crowd);
        try (TestWebSocket alice = connect("alice"); TestWebSocket bob = connect("bob")) {
            TestProducers.sendAvro(Topics.CHAT_MESSAGES.name(), Topics.conversationKey(appId, "sales-wins"),
                    userEvent(ChatEventType.READ, "sales-wins", 7, "alice"));
            for (TestWebSocket socket : List.of(alice, bob)) {
                JsonNode frame = socket.awaitType("read.updated", WAIT);
                assertThat(frame.get("actorId").asString()).isEqualTo("alice");
                assertThat(frame.get("seq").asLong()).isEqualTo(7);
            }

            TestProducers.sendAvro(Topics.CHAT_MESSAGES.name(), Topics.conversationKey(appId, "all-hands"),
                    userEvent(ChatEventType.READ, "all-hands", 3, "alice"));
            TestProducers.sendAvro(Topics.CHAT_MESSAGES.name(), Topics.conversationKey(appId, "sales-wins"),
                    userEvent(ChatEventType.MESSAGE_HIDDEN, "sales-wins", 5, "alice"));
            assertThat(alice.awaitType("read.updated", WAIT).get("conversationId").asString()).isEqualTo("all-hands");
            assertThat(alice.awaitType("message.hidden", WAIT).get("seq").asLong()).isEqualTo(5);
            assertThatThrownBy(() -> bob.await(frame -> List.of("read.updated", "message.hidden")
                    .contains(frame.path("type").asString()), Duration.ofSeconds(2)))
                    .as("bob gets neither alice's read position in the large group nor her hidden message")
                    .isInstanceOf(AssertionError.class);
        }
    }

    private ChatMessageEvent userEvent(ChatEventType type, String conversationId, long seq, String userId) {
        return ChatMessageEvent.newBuilder()
                .setEventId(type + ":" + userId + ":" + seq).setType(type)
                .setAppId(appId).setConversationId(conversationId).setSeq(seq).setActorId(userId)
                .setOccurredAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .build();
    }

    private ChatMessageEvent chatEvent(long seq, String text) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return ChatMessageEvent.newBuilder()
                .setEventId("m" + seq + ":created").setType(ChatEventType.MESSAGE_CREATED)
                .setAppId(appId).setConversationId("sales-wins").setSeq(seq).setOccurredAt(now)
                .setMessage(ChatMessage.newBuilder().setMessageId("m" + seq).setSenderId("system:crm")
                        .setSenderType(SenderType.SYSTEM).setContentType(ContentType.TEXT).setText(text)
                        .setCreatedAt(now).build())
                .build();
    }
}
