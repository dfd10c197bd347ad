package io.switchboard.e2e;

import io.switchboard.client.PushConnection;
import io.switchboard.client.SwitchboardClient;
import io.switchboard.events.chat.ChatEventType;
import io.switchboard.events.chat.ChatMessageEvent;
import io.switchboard.schemas.RegistrySerde;
import io.switchboard.schemas.Topics;
import io.switchboard.platform.testing.TestWebhookEndpoint;
import io.switchboard.schemas.webhooks.WebhookSignature;
import io.switchboard.stack.Stack;
import io.switchboard.stack.StackService;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The whole path on real parts ({@link EndToEndStack}): an upstream producer publishes with a
 * plain KafkaProducer; users receive over real WebSocket connections.
 */
@ExtendWith(EndToEndStack.Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WalkingSkeletonEndToEndTests {

    private static final String ADMIN_PASSWORD = EndToEndStack.ADMIN_PASSWORD;

    private Stack stack;
    private SwitchboardClient client;

    @BeforeAll
    void useTheStack(EndToEndStack e2e) {
        stack = e2e.stack();
        client = e2e.client();
    }

    @Test
    void businessEventFromAPlainProducerReachesEveryConnectedMemberOverWebSocket() throws Exception {
        try (DealWonScenario scenario = DealWonScenario.setUp(client, ADMIN_PASSWORD, List.of("alice", "bob"))) {
            scenario.warmUp();
            long sent = System.nanoTime();
            client.publish(scenario.dealWon("ACME renewal", 12000));

            List<Double> firstLatencies = new ArrayList<>();
            for (String member : List.of("alice", "bob")) {
                PushConnection.Frame frame = scenario.connection(member).next("message.created", DealWonScenario.TIMEOUT);
                JsonNode json = frame.json();
                assertThat(json.get("conversationId").asString()).isEqualTo(DealWonScenario.CONVERSATION);
                assertThat(json.get("seq").asLong()).isEqualTo(1);
                assertThat(json.get("text").asString()).isEqualTo("Deal won: ACME renewal (12000 EUR), closed by carol");
                firstLatencies.add((frame.receivedNanos() - sent) / 1e6);
            }

            SwitchboardClient.Reply history = client.history(scenario.userToken("alice"), DealWonScenario.CONVERSATION);
            assertThat(history.status()).isEqualTo(200);
            assertThat(history.body().get("messages").get(0).get("seq").asLong()).isEqualTo(1);

            List<Double> latencies = measureSteadyState(scenario, 20);
            report(firstLatencies, latencies);
        }
    }

    @Test
    void anEventNamingAUserReachesThemInTheirSystemConversationCreatedByMembershipService() throws Exception {
        try (DealWonScenario scenario = DealWonScenario.setUp(client, ADMIN_PASSWORD, List.of("erin", "frank"))) {
            client.putRoutingRule(scenario.appToken(), "tasks", Map.of(
                    "name", "Task assigned",
                    "match", Map.of("source", "pm", "eventTypes", List.of("task.assigned"), "condition", "has(payload.assigneeId)"),
                    "targets", List.of(Map.of("type", "EVENT_FIELD", "field", "payload.assigneeId")),
                    "content", Map.of("text", "{{actor}} assigned you {{entity.displayName}}",
                            "card", Map.of("title", "{{entity.displayName}}",
                                    "actions", List.of(Map.of("id", "open", "label", "Open", "url", "{{{entity.url}}}"))))));
            var event = scenario.dealWon("Write the Q4 plan", 1);
            event.setSource("pm");
            event.setEventType("task.assigned");
            event.setPayload(Map.of("assigneeId", "frank"));
            client.publish(event);

            PushConnection.Frame frame = scenario.connection("frank").next("message.created", DealWonScenario.TIMEOUT);
            JsonNode json = frame.json();
            assertThat(json.get("conversationId").asString())
                    .isEqualTo(io.switchboard.schemas.SystemConversations.id("frank", "pm"));
            assertThat(json.get("text").asString()).isEqualTo("carol assigned you Write the Q4 plan");
            assertThat(json.get("card").get("actions").get(0).get("url").asString()).isEqualTo("https://crm.example/deals/1");
            assertThat(client.history(scenario.userToken("frank"), json.get("conversationId").asString()).status())
                    .isEqualTo(200);
            assertThatThrownBy(() -> scenario.connection("erin").next("message.created", Duration.ofSeconds(2)))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void webSocketWithoutAValidUserTokenIsClosedWithACode() throws Exception {
        try (DealWonScenario scenario = DealWonScenario.setUp(client, ADMIN_PASSWORD, List.of("dave"))) {
            Duration wait = DealWonScenario.TIMEOUT;
            String ws = client.endpoints().pushWebSocket();
            assertThat(PushConnection.refusalCode(ws, "forged.token.value", wait)).isEqualTo(4401);
            String tampered = scenario.userToken("dave").substring(0, scenario.userToken("dave").length() - 4) + "AAAA";
            assertThat(PushConnection.refusalCode(ws, tampered, wait)).isEqualTo(4401);
            assertThat(PushConnection.refusalCode(ws, scenario.appToken(), wait))
                    .as("an app token of other services' scopes is not meant for push-service (aud)").isEqualTo(4401);
            assertThat(PushConnection.refusalCode(ws, client.appToken(scenario.app(), "webhooks:admin"), wait))
                    .as("an app token meant for push-service is still no user").isEqualTo(4403);
            assertThat(PushConnection.refusalCode(ws, null, wait)).isEqualTo(4401);
            assertThat(PushConnection.refusalCode(ws + "?access_token=" + scenario.userToken("dave"), null, wait))
                    .as("a token in the URL is not taken").isEqualTo(4401);
            String ticket = client.webSocketTicket(scenario.userToken("dave"));
            try (PushConnection browserLike = PushConnection.open(ws + "?ticket=" + ticket, null, wait)) {
                browserLike.send(Map.of("type", "ping"));
                assertThat(browserLike.next("pong", wait).type()).as("a session opened with a ticket").isEqualTo("pong");
            }
            assertThat(PushConnection.refusalCode(ws + "?ticket=" + ticket, null, wait)).as("a ticket opens once").isEqualTo(4401);
        }
    }

    @Test
    void suspendingAnAppLocksItsTokensOutOfEveryServiceAndClosesItsSessions() throws Exception {
        try (DealWonScenario scenario = DealWonScenario.setUp(client, ADMIN_PASSWORD, List.of("erin"))) {
            String userToken = scenario.userToken("erin");
            assertThat(client.conversation(scenario.appToken(), DealWonScenario.CONVERSATION).status()).isEqualTo(200);

            long suspended = System.nanoTime();
            client.suspendApp(ADMIN_PASSWORD, scenario.app().appId());

            int closeCode = scenario.connection("erin").awaitClosedByServer(Duration.ofSeconds(10));
            double sessionClosedMs = (System.nanoTime() - suspended) / 1e6;
            await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                    .until(() -> client.conversation(scenario.appToken(), DealWonScenario.CONVERSATION).status() == 401);
            double refusedMs = (System.nanoTime() - suspended) / 1e6;
            assertThat(closeCode).isEqualTo(4401);
            assertThat(client.history(userToken, DealWonScenario.CONVERSATION).status()).isEqualTo(401);
            assertThat(PushConnection.refusalCode(client.endpoints().pushWebSocket(), userToken, Duration.ofSeconds(10)))
                    .isEqualTo(4401);
            String line = String.format(Locale.ROOT, "suspension propagation: WebSocket session closed after %.0f ms, "
                    + "membership-service refused the app token after %.0f ms", sessionClosedMs, refusedMs);
            System.out.println(line);
            Files.writeString(Path.of("target", "e2e-revocation.txt"), line + "\n");
        }
    }

    /**
     * A user deactivated in membership-service, or signed out everywhere in auth-service, loses every
     * session and token at once: push-service closes the sessions with 4401 and the reason within
     * two seconds, message-service refuses the tokens, auth-service mints the deactivated user none.
     */
    @Test
    void deactivatingOrSigningOutAUserEndsTheirSessionsAndTokensEverywhere() throws Exception {
        try (DealWonScenario scenario = DealWonScenario.setUp(client, ADMIN_PASSWORD, List.of("ivan", "judy"))) {
            String ivanToken = scenario.userToken("ivan");
            long deactivated = System.nanoTime();
            assertThat(client.deactivateUser(scenario.appToken(), "ivan").status()).isEqualTo(200);
            PushConnection ivan = scenario.connection("ivan");
            assertThat(ivan.awaitClosedByServer(Duration.ofSeconds(10))).isEqualTo(4401);
            double closedMs = (System.nanoTime() - deactivated) / 1e6;
            assertThat(ivan.closeReason()).isEqualTo("user-deactivated");
            assertThat(closedMs).as("session closed after deactivation, ms").isLessThan(2_000);
            assertThat(client.history(ivanToken, DealWonScenario.CONVERSATION).status()).isEqualTo(401);
            assertThatThrownBy(() -> client.userToken(scenario.appToken(), "ivan")).hasMessageContaining("user-deactivated");

            long signedOut = System.nanoTime();
            assertThat(client.signOut(scenario.appToken(), "judy").status()).isEqualTo(200);
            PushConnection judy = scenario.connection("judy");
            assertThat(judy.awaitClosedByServer(Duration.ofSeconds(10))).isEqualTo(4401);
            double signedOutMs = (System.nanoTime() - signedOut) / 1e6;
            assertThat(judy.closeReason()).isEqualTo("signed-out");
            assertThat(signedOutMs).as("session closed after sign-out, ms").isLessThan(2_000);
            String judyAgain = client.userToken(scenario.appToken(), "judy");
            assertThat(client.history(judyAgain, DealWonScenario.CONVERSATION).status()).as("a token minted after").isEqualTo(200);
            String line = String.format(Locale.ROOT, "user revocation: session closed %.0f ms after deactivation, "
                    + "%.0f ms after sign-out", closedMs, signedOutMs);
            System.out.println(line);
            Files.writeString(Path.of("target", "e2e-user-revocation.txt"), line + "\n");
        }
    }

    /**
     * Membership changes made over membership-service's HTTP API reach message-service's and
     * push-service's views: an added member can post and receives messages within a bounded time;
     * once removed, they can do neither.
     */
    @Test
    void memberAddedOverHttpCanPostAndReceiveAndOnceRemovedCanDoNeither() throws Exception {
        try (DealWonScenario scenario = DealWonScenario.setUp(client, ADMIN_PASSWORD, List.of("grace"))) {
            client.importUsers(scenario.appToken(), List.of("frank"));
            String frankToken = client.userToken(scenario.appToken(), "frank");
            String conversation = DealWonScenario.CONVERSATION;
            try (PushConnection frank = PushConnection.open(client.endpoints().pushWebSocket(), frankToken,
                    DealWonScenario.TIMEOUT)) {
                assertThat(client.sendText(frankToken, conversation, "let me in", "frank-0").body().get("code")
                        .asString()).isEqualTo("not-a-member");

                long added = System.nanoTime();
                assertThat(client.addMember(scenario.appToken(), conversation, "frank").status()).isEqualTo(200);
                assertThat(frank.next("membership.changed", DealWonScenario.TIMEOUT).json().get("change").asString())
                        .isEqualTo("joined");
                double toldMs = (System.nanoTime() - added) / 1e6;
                int attempt = 0;
                SwitchboardClient.Reply posted;
                do {
                    posted = client.sendText(frankToken, conversation, "hello, I am in", "frank-" + ++attempt);
                    assertThat(System.nanoTime() - added).as("added member may post within 5 s")
                            .isLessThan(Duration.ofSeconds(5).toNanos());
                } while (posted.status() == 403);
                double canPostMs = (System.nanoTime() - added) / 1e6;
                assertThat(posted.status()).isEqualTo(201);
                long frankSeq = posted.body().get("seq").asLong();
                assertThat(frank.next("message.created", DealWonScenario.TIMEOUT).json().get("seq").asLong())
                        .isEqualTo(frankSeq);
                assertThat(scenario.connection("grace").next("message.created", DealWonScenario.TIMEOUT).json()
                        .get("text").asString()).isEqualTo("hello, I am in");

                SwitchboardClient.Reply fromGrace = client.sendText(scenario.userToken("grace"), conversation,
                        "welcome, frank", "grace-1");
                assertThat(fromGrace.status()).isEqualTo(201);
                assertThat(frank.next("message.created", DealWonScenario.TIMEOUT).json().get("text").asString())
                        .isEqualTo("welcome, frank");

                long removed = System.nanoTime();
                assertThat(client.removeMember(scenario.appToken(), conversation, "frank").status()).isEqualTo(200);
                SwitchboardClient.Reply refused;
                do {
                    refused = client.sendText(frankToken, conversation, "still here?", "frank-" + ++attempt);
                    assertThat(System.nanoTime() - removed).as("removed member is refused within 5 s")
                            .isLessThan(Duration.ofSeconds(5).toNanos());
                } while (refused.status() == 201);
                double refusedMs = (System.nanoTime() - removed) / 1e6;
                assertThat(refused.status()).isEqualTo(403);
                assertThat(refused.body().get("code").asString()).isEqualTo("not-a-member");
                // the messages frank sent before the refusal took effect must not confuse what follows
                long lastBeforeGoodbye = client.history(scenario.userToken("grace"), conversation).body()
                        .get("messages").valueStream().mapToLong(m -> m.get("seq").asLong()).max().orElseThrow();

                assertThat(client.sendText(scenario.userToken("grace"), conversation, "bye, frank", "grace-2").status())
                        .isEqualTo(201);
                PushConnection.Frame goodbye;
                do {
                    goodbye = scenario.connection("grace").next("message.created", DealWonScenario.TIMEOUT);
                } while (goodbye.json().get("seq").asLong() <= lastBeforeGoodbye);
                assertThat(goodbye.json().get("text").asString()).isEqualTo("bye, frank");
                while (true) {
                    PushConnection.Frame late;
                    try {
                        late = frank.next("message.created", Duration.ofSeconds(3));
                    } catch (IllegalStateException none) {
                        break;
                    }
                    assertThat(late.json().get("seq").asLong()).as("frame after removal").isLessThanOrEqualTo(lastBeforeGoodbye);
                }
                assertThat(client.history(frankToken, conversation).status()).isEqualTo(404);

                String line = String.format(Locale.ROOT, "membership propagation: added member was told after %.0f ms and could post "
                        + "after %.0f ms; removed member was refused after %.0f ms", toldMs, canPostMs, refusedMs);
                System.out.println(line);
                Files.writeString(Path.of("target", "e2e-membership.txt"), line + "\n");
            }
        }
    }

    /**
     * A user clicks a card's callback button over WebSocket; the app's webhook endpoint (a real
     * HTTP server here) gets the signed click and answers with a new card, which message-service
     * applies: the user's client receives the edited card.
     */
    @Test
    void aCardClickReachesTheAppsWebhookAndItsAnswerUpdatesTheCard() throws Exception {
        try (TestWebhookEndpoint endpoint = TestWebhookEndpoint.healthy()) {
            endpoint.recover("{\"card\":{\"title\":\"Discount approved by jane\"},\"text\":\"Approved\"}");
            SwitchboardClient.App app = client.createApp(ADMIN_PASSWORD, "card actions");
            String appToken = client.appToken(app, "user-tokens:mint", "users:write", "conversations:write",
                    "messages:write", "webhooks:admin");
            client.importUsers(appToken, List.of("jane"));
            client.createGroup(appToken, "approvals", "Approvals", List.of("jane"));
            endpoint.verifyingWith(client.registerWebhook(appToken, endpoint.url(), List.of("card.action"), null).secret());

            try (PushConnection jane = PushConnection.open(client.endpoints().pushWebSocket(), client.userToken(appToken, "jane"),
                    Duration.ofSeconds(20))) {
                SwitchboardClient.Reply card = client.sendMessage(appToken, "approvals", Map.of("type", "CARD", "card",
                        Map.of("title", "Approve the ACME discount?", "actions",
                                List.of(Map.of("id", "approve", "label", "Approve", "callbackId", "deal-42:approve")))), "card-1");
                assertThat(card.status()).as(card.body().toString()).isEqualTo(201);
                jane.next("message.created", Duration.ofSeconds(20));

                // push-service keeps the clickable card once it read it on chat.messages: click until it has
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).until(() -> {
                    jane.send("{\"type\":\"card.action\",\"conversationId\":\"approvals\",\"seq\":1,\"actionId\":\"approve\"}");
                    return endpoint.requests() > 0;
                });
                TestWebhookEndpoint.Received click = endpoint.await(r -> true, Duration.ofSeconds(20));
                assertThat(click.verification()).isEqualTo(WebhookSignature.Verification.VALID);
                assertThat(click.text()).contains("\"callbackId\":\"deal-42:approve\"", "\"userId\":\"jane\"");

                JsonNode edited = jane.next("message.edited", Duration.ofSeconds(20)).json();
                assertThat(edited.get("card").get("title").asString()).isEqualTo("Discount approved by jane");
                assertThat(edited.get("actorId").asString()).isEqualTo(app.appId());
            }
        }
    }

    /**
     * A message to the app's bot user is delivered to the app's webhook endpoint, which refuses
     * the first attempt; push-service is killed (SIGKILL) right then, and once restarted the same
     * delivery is attempted again - nothing is lost across the crash.
     */
    @Test
    @Order(Integer.MAX_VALUE - 1) // before the message-service crash, after the tests that hold sessions
    void aWebhookRefusedJustBeforeAPushServiceCrashIsDeliveredAfterTheRestart() throws Exception {
        try (TestWebhookEndpoint endpoint = TestWebhookEndpoint.failingFirst(1)) {
            SwitchboardClient.App app = client.createApp(ADMIN_PASSWORD, "webhook crash");
            String appToken = client.appToken(app, "user-tokens:mint", "users:write", "conversations:write", "webhooks:admin");
            client.importUsers(appToken, List.of("ivy", "helpdesk-bot"));
            client.createGroup(appToken, "helpdesk", "Helpdesk", List.of("ivy", "helpdesk-bot"));
            endpoint.verifyingWith(client.registerWebhook(appToken, endpoint.url(), List.of("message.created"),
                    "helpdesk-bot").secret());
            String ivy = client.userToken(appToken, "ivy");

            // until push-service's membership view has the bot in the group, messages are not the bot's to hear of
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(3)).until(() -> {
                client.sendText(ivy, "helpdesk", "printer on fire", java.util.UUID.randomUUID().toString());
                return endpoint.requests() > 0;
            });
            stack.crash(StackService.PUSH);
            TestWebhookEndpoint.Received refused = endpoint.received().getFirst();
            assertThat(refused.attempt()).isEqualTo(1);

            stack.restart(StackService.PUSH);
            TestWebhookEndpoint.Received delivered = endpoint.await(r -> r.deliveryId().equals(refused.deliveryId())
                    && r.attempt() >= 2, Duration.ofSeconds(90));
            assertThat(delivered.verification()).isEqualTo(WebhookSignature.Verification.VALID);
            assertThat(delivered.text()).contains("printer on fire");
        }
    }

    /**
     * message-service is killed (SIGKILL) while the broker is frozen, after it stored messages but
     * before it could publish them. Once restarted it publishes every stored message, in seq
     * order; whatever reached the broker twice is dropped by push-service, so the connected member
     * gets each message exactly once, in order.
     */
    @Test
    @Order(Integer.MAX_VALUE) // last: the other tests' latency figures must not include the recovery
    void messagesStoredBeforeACrashArePublishedInSeqOrderAfterTheRestart() throws Exception {
        try (DealWonScenario scenario = DealWonScenario.setUp(client, ADMIN_PASSWORD, List.of("hank"))) {
            String token = scenario.userToken("hank");
            String conversation = DealWonScenario.CONVERSATION;
            for (int i = 1; i <= 3; i++) {
                assertThat(client.sendText(token, conversation, "before " + i, "before-" + i).status()).isEqualTo(201);
                assertThat(scenario.connection("hank").next("message.created", DealWonScenario.TIMEOUT).json()
                        .get("seq").asLong()).isEqualTo(i);
            }

            stack.freezeKafka();
            try {
                for (int i = 4; i <= 12; i++) {
                    SwitchboardClient.Reply stored = client.sendText(token, conversation, "during " + i, "during-" + i);
                    assertThat(stored.status()).as(stored.body().toString()).isEqualTo(201);
                    assertThat(stored.body().get("seq").asLong()).isEqualTo(i);
                }
                stack.crash(StackService.MESSAGE);
            } finally {
                stack.thawKafka();
            }
            stack.restart(StackService.MESSAGE);

            List<Long> pushed = new ArrayList<>();
            for (int i = 4; i <= 12; i++) {
                pushed.add(scenario.connection("hank").next("message.created", DealWonScenario.TIMEOUT).json()
                        .get("seq").asLong());
            }
            assertThat(pushed).containsExactly(4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L);
            assertThatThrownBy(() -> scenario.connection("hank").next("message.created", Duration.ofSeconds(2)))
                    .as("no message is pushed twice").isInstanceOf(IllegalStateException.class);

            List<Long> published = publishedSeqs(scenario.app().appId(), conversation, 12);
            List<Long> firstSeen = published.stream().distinct().toList();
            assertThat(firstSeen).as("first publication of each seq, in order")
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, 12).boxed().toList());
            String line = String.format(Locale.ROOT, "crash recovery: 9 messages stored while the broker was frozen "
                    + "and message-service was killed were published after the restart in seq order; %d records "
                    + "were published twice and dropped by consumers", published.size() - firstSeen.size());
            System.out.println(line);
            Files.writeString(Path.of("target", "e2e-crash-recovery.txt"), line + "\n");
        }
    }

    /** The seqs of MESSAGE_CREATED events of a conversation on chat.messages, in log order, once {@code last} is there. */
    private List<Long> publishedSeqs(String appId, String conversationId, long last) {
        Map<String, Object> properties = new java.util.HashMap<>(
                RegistrySerde.consumerProperties(stack.registry().registryApiUrl()));
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "e2e-probe-" + java.util.UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        String key = Topics.conversationKey(appId, conversationId);
        List<Long> seqs = new ArrayList<>();
        try (KafkaConsumer<String, ChatMessageEvent> consumer = new KafkaConsumer<>(properties)) {
            consumer.subscribe(List.of(Topics.CHAT_MESSAGES.name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!seqs.contains(last) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, ChatMessageEvent> record : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(record.key()) && record.value().getType() == ChatEventType.MESSAGE_CREATED) {
                        seqs.add(record.value().getSeq());
                    }
                }
            }
            // a little longer, so late duplicates are counted too
            for (int i = 0; i < 5; i++) {
                for (ConsumerRecord<String, ChatMessageEvent> record : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(record.key()) && record.value().getType() == ChatEventType.MESSAGE_CREATED) {
                        seqs.add(record.value().getSeq());
                    }
                }
            }
        }
        return seqs;
    }

    /** Sends events one at a time and returns each one's publish-to-frame latency in ms (alice's session). */
    private List<Double> measureSteadyState(DealWonScenario scenario, int events) throws Exception {
        List<Double> latencies = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            long sent = System.nanoTime();
            client.publish(scenario.dealWon("Deal " + i, 1000 + i));
            PushConnection.Frame frame = scenario.connection("alice").next("message.created", DealWonScenario.TIMEOUT);
            assertThat(frame.json().get("seq").asLong()).isEqualTo(i + 2);
            latencies.add((frame.receivedNanos() - sent) / 1e6);
            scenario.connection("bob").next("message.created", DealWonScenario.TIMEOUT);
        }
        return latencies;
    }

    private static void report(List<Double> first, List<Double> steady) throws IOException {
        List<Double> sorted = steady.stream().sorted().toList();
        String line = String.format(Locale.ROOT,
                "event->WebSocket latency (publish call to frame received, producer warm): first notification %.1f ms (alice) / %.1f ms (bob); next %d events: "
                        + "median %.1f ms, p90 %.1f ms, max %.1f ms",
                first.get(0), first.get(1), sorted.size(), sorted.get(sorted.size() / 2),
                sorted.get((int) Math.ceil(sorted.size() * 0.9) - 1), sorted.getLast());
        System.out.println(line);
        Files.writeString(Path.of("target", "e2e-latency.txt"), line + "\n");
    }
}
