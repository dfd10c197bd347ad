package io.switchboard.push;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.events.chat.ChatEventType;
import io.switchboard.events.chat.ChatMessage;
import io.switchboard.events.chat.ChatMessageEvent;
import io.switchboard.events.chat.ContentType;
import io.switchboard.events.chat.SenderType;
import io.switchboard.events.presence.PresenceSession;
import io.switchboard.events.presence.PresenceState;
import io.switchboard.events.push.PushDelivery;
import io.switchboard.platform.testing.ServiceIntegrationTest;
import io.switchboard.platform.testing.TestApps;
import io.switchboard.platform.testing.TestMembership;
import io.switchboard.platform.testing.TestProducers;
import io.switchboard.platform.testing.TestWebSocket;
import io.switchboard.platform.testing.TopicProbe;
import io.switchboard.push.views.PresenceView;
import io.switchboard.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Two push-service instances, gateways 0 (the test's own) and 1 (a child JVM, {@link GatewayProcess}),
 * on one real broker ({@code push.deliveries} with 2 partitions), registry and PostgreSQL, with real
 * WebSocket clients on each: routing across gateways, repair of lost presence updates, and what
 * happens when gateway 1 crashes or restarts. Gateway 1 is started once and reused; the crash and
 * restart tests run last and start their own.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoGatewaysKafkaPostgresWebSocketTests extends ServiceIntegrationTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    /** The test configuration's gateway-expiry and gateway-heartbeat (config/application.yml). */
    static final Duration EXPIRY = Duration.ofSeconds(3);
    static final Duration HEARTBEAT = Duration.ofMillis(500);

    private static GatewayProcess gateway1;

    @Autowired
    Environment environment;
    @Autowired
    PresenceView presence;
    @Autowired
    MeterRegistry meters;

    private final List<TestWebSocket> sockets = new ArrayList<>();

    @BeforeEach
    void teamSpansBothGateways() {
        TestApps.active(appId);
        TestMembership.group(appId, "team", "Team", List.of("alice", "bob", "carol", "dave", "erin", "frank"));
    }

    @AfterEach
    void closeSockets() {
        sockets.forEach(TestWebSocket::close);
    }

    @AfterAll
    static void stopGateway1() {
        if (gateway1 != null) {
            gateway1.close();
            gateway1 = null;
        }
    }

    /**
     * A third gateway where push.deliveries has two partitions would be sent deliveries that can
     * never be written, holding up every chat message behind them: it refuses to start and says why.
     */
    @Test
    @Order(0)
    void aGatewayWithoutItsPartitionOfPushDeliveriesRefusesToStart() {
        assertThatThrownBy(() -> GatewayProcess.start(environment, 2, Map.of()).close())
                .hasMessageContaining("exited")
                .hasMessageContaining("Gateway ordinal 2 reads partition 2 of push.deliveries, which has 2 partition(s)");
    }

    @Test
    @Order(1)
    void aGroupMessageReachesMembersOnBothGatewaysWithOneDeliveryRecordPerGateway() throws Exception {
        GatewayProcess one = gateway1();
        List<TestWebSocket> onZero = List.of(connect("alice"), connect("bob"));
        List<TestWebSocket> onOne = List.of(connect(one, "carol"), connect(one, "dave"));

        ChatMessageEvent event = publish(1, "Deal won: ACME");

        for (TestWebSocket socket : union(onZero, onOne)) {
            assertThat(socket.awaitType("message.created", WAIT).get("text").asString()).isEqualTo("Deal won: ACME");
        }
        Map<Integer, List<PushDelivery>> byPartition = deliveriesOf(event);
        assertThat(byPartition.keySet()).containsExactlyInAnyOrder(0, 1);
        assertThat(byPartition.get(0)).singleElement().satisfies(d -> {
            assertThat(d.getGateway()).isEqualTo(0);
            assertThat(d.getRecipients()).containsExactlyInAnyOrder("alice", "bob");
        });
        assertThat(byPartition.get(1)).singleElement().satisfies(d -> {
            assertThat(d.getGateway()).isEqualTo(1);
            assertThat(d.getRecipients()).containsExactlyInAnyOrder("carol", "dave");
        });
    }

    @Test
    @Order(2)
    void aSessionDroppedByAnotherGatewaysStaleWriteIsPublishedAgainByItsGateway() throws Exception {
        GatewayProcess one = gateway1();
        TestWebSocket erin = connect(one, "erin");
        PresenceSession held = await().atMost(WAIT).until(() -> presence.sessions(appId, "erin"), s -> s.size() == 1).getFirst();
        double repairsBefore = one.counter("switchboard_push_presence_republished_total", "");

        // what gateway 0 would write for erin from a view that has not seen her session on gateway 1 yet
        TestProducers.sendAvro(Topics.PRESENCE_CHANGES.name(), Topics.presenceKey(appId, "erin"), PresenceState.newBuilder()
                .setAppId(appId).setUserId("erin").setSessions(List.of()).setUpdatedAt(now()).build());

        await().atMost(WAIT).untilAsserted(() -> assertThat(presence.sessions(appId, "erin")).containsExactly(held));
        assertThat(one.counter("switchboard_push_presence_republished_total", "")).isGreaterThan(repairsBefore);
        publish(2, "still routed to erin");
        assertThat(erin.awaitType("message.created", WAIT).get("seq").asLong()).isEqualTo(2);
    }

    @Test
    @Order(3)
    void devicesConnectingAtOnceOnBothGatewaysAllEndUpInPresence() throws Exception {
        GatewayProcess one = gateway1();
        int perGateway = 6;
        List<Callable<TestWebSocket>> connects = new ArrayList<>();
        for (int device = 0; device < perGateway; device++) {
            connects.add(() -> connect("frank"));
            connects.add(() -> connect(one, "frank"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(connects.size());
        try {
            for (Future<TestWebSocket> connected : pool.invokeAll(connects)) {
                connected.get();
            }
        } finally {
            pool.shutdownNow();
        }

        await().atMost(WAIT).untilAsserted(() -> assertThat(presence.sessions(appId, "frank"))
                .extracting(PresenceSession::getGateway)
                .containsExactlyInAnyOrderElementsOf(union(nCopies(perGateway, 0), nCopies(perGateway, 1))));
        publish(3, "to every device");
        for (TestWebSocket frank : sockets) {
            assertThat(frank.awaitType("message.created", WAIT).get("seq").asLong()).isEqualTo(3);
        }
    }

    @Test
    @Order(4)
    void aCrashedGatewaysSessionsLeavePresenceWithinTheExpiryAndItGetsNoMoreDeliveries() throws Exception {
        GatewayProcess one = gateway1();
        TestWebSocket alice = connect("alice");
        TestWebSocket bobHere = connect("bob");
        connect(one, "bob");
        connect(one, "carol");
        await().atMost(WAIT).until(() -> presence.gateways(appId, "bob").equals(Set.of(0, 1))
                && presence.gateways(appId, "carol").equals(Set.of(1))
                && presence.usersOn(1).size() == 2);   // the earlier tests' sessions on gateway 1 are withdrawn
        double goneBefore = count("switchboard.push.gateways.gone", null);
        double removedBefore = count("switchboard.push.presence.sessions.removed", "gateway-gone");

        Instant crashedAt = Instant.now();
        one.crash();
        gateway1 = null;

        await().atMost(EXPIRY.plus(HEARTBEAT).plus(Duration.ofSeconds(10))).pollInterval(Duration.ofMillis(50))
                .until(() -> presence.gateways(appId, "carol").isEmpty() && presence.gateways(appId, "bob").equals(Set.of(0)));
        Duration removedAfter = Duration.between(crashedAt, Instant.now());
        System.out.println("[two-gateways] sessions of the crashed gateway left presence " + removedAfter.toMillis()
                + " ms after the crash (gateway-expiry " + EXPIRY.toMillis() + " ms, heartbeat " + HEARTBEAT.toMillis() + " ms)");
        assertThat(removedAfter).isGreaterThanOrEqualTo(EXPIRY.minus(HEARTBEAT));
        Instant carolLastSeen = presence.get(Topics.presenceKey(appId, "carol")).orElseThrow().getUpdatedAt();
        assertThat(carolLastSeen).as("last seen: the crashed gateway's last heartbeat")
                .isBetween(crashedAt.minus(HEARTBEAT).minusSeconds(1), crashedAt);
        assertThat(count("switchboard.push.gateways.gone", null)).isEqualTo(goneBefore + 1);
        assertThat(count("switchboard.push.presence.sessions.removed", "gateway-gone")).isEqualTo(removedBefore + 2);

        ChatMessageEvent event = publish(4, "after the crash");
        assertThat(alice.awaitType("message.created", WAIT).get("seq").asLong()).isEqualTo(4);
        assertThat(bobHere.awaitType("message.created", WAIT).get("seq").asLong()).isEqualTo(4);
        Map<Integer, List<PushDelivery>> byPartition = deliveriesOf(event);
        assertThat(byPartition.keySet()).as("nothing for the crashed gateway's partition").containsExactly(0);
        assertThat(byPartition.get(0)).singleElement()
                .satisfies(d -> assertThat(d.getRecipients()).containsExactlyInAnyOrder("alice", "bob"));
    }

    @Test
    @Order(5)
    void aRestartedGatewayRemovesTheSessionsItsPreviousRunLeftBeforeOthersWouldExpireIt() throws Exception {
        stopGateway1();
        // the first run announces a long expiry: gateway 0 would wait two minutes before removing its sessions
        Instant crashedAt;
        try (GatewayProcess firstRun = GatewayProcess.start(environment, 1, Map.of("switchboard.push.gateway-expiry", "120s"))) {
            connect(firstRun, "dave");
            await().atMost(WAIT).until(() -> presence.gateways(appId, "dave").equals(Set.of(1)));
            crashedAt = Instant.now();
            firstRun.crash();
        }
        double removedByGatewayZero = count("switchboard.push.presence.sessions.removed", "gateway-gone");

        gateway1 = GatewayProcess.start(environment, 1, Map.of());
        await().atMost(WAIT).until(() -> presence.gateways(appId, "dave").isEmpty());

        System.out.println("[two-gateways] the restarted gateway removed its previous run's session "
                + Duration.between(crashedAt, Instant.now()).toMillis() + " ms after the crash");
        assertThat(Duration.between(crashedAt, Instant.now())).isLessThan(Duration.ofSeconds(120));
        assertThat(gateway1.counter("switchboard_push_presence_sessions_removed_total", "reason=\"previous-run\"")).isEqualTo(1);
        assertThat(count("switchboard.push.presence.sessions.removed", "gateway-gone")).isEqualTo(removedByGatewayZero);
        assertThat(presence.get(Topics.presenceKey(appId, "dave")).orElseThrow().getUpdatedAt())
                .as("last seen: the first run's last heartbeat").isBetween(crashedAt.minus(HEARTBEAT).minusSeconds(1), crashedAt);
    }

    private GatewayProcess gateway1() {
        if (gateway1 == null || !gateway1.isAlive()) {
            gateway1 = GatewayProcess.start(environment, 1, Map.of());
        }
        return gateway1;
    }

    private TestWebSocket connect(String userId) throws InterruptedException {
        return opened("ws://127.0.0.1:" + port + "/v1/ws", token(userId));
    }

    private TestWebSocket connect(GatewayProcess gateway, String userId) throws InterruptedException {
        return opened(gateway.webSocketUrl(), token(userId));
    }

    private String token(String userId) {
        return tokens.userToken(appId, userId, "push:connect");
    }

    private TestWebSocket opened(String url, String token) throws InterruptedException {
        TestWebSocket socket = TestWebSocket.connect(url, token);
        synchronized (sockets) {
            sockets.add(socket);
        }
        socket.awaitType("session.ready", WAIT);
        return socket;
    }

    private double count(String meter, String reason) {
        var search = meters.find(meter);
        if (reason != null) {
            search = search.tag("reason", reason);
        }
        return search.counters().stream().mapToDouble(Counter::count).sum();
    }

    /** Every push.deliveries record for {@code event}, by partition, read with a plain consumer to the topic's end. */
    private Map<Integer, List<PushDelivery>> deliveriesOf(ChatMessageEvent event) {
        List<ConsumerRecord<String, PushDelivery>> records = TopicProbe.readToEnd(Topics.PUSH_DELIVERIES.name());
        return records.stream()
                .filter(r -> r.value() != null && r.value().getEvent().getAppId().equals(appId)
                        && r.value().getEvent().getEventId().equals(event.getEventId()))
                .collect(Collectors.groupingBy(ConsumerRecord::partition,
                        Collectors.mapping(ConsumerRecord::value, Collectors.toList())));
    }

    private ChatMessageEvent publish(long seq, String text) {
        Instant now = now();
        ChatMessageEvent event = ChatMessageEvent.newBuilder()
                .setEventId("m" + seq + ":created:" + UUID.randomUUID()).setType(ChatEventType.MESSAGE_CREATED)
                .setAppId(appId).setConversationId("team").setSeq(seq).setOccurredAt(now)
                .setMessage(ChatMessage.newBuilder().setMessageId("m" + seq).setSenderId("system:crm")
                        .setSenderType(SenderType.SYSTEM).setContentType(ContentType.TEXT).setText(text)
                        .setCreatedAt(now).build())
                .build();
        TestProducers.sendAvro(Topics.CHAT_MESSAGES.name(), Topics.conversationKey(appId, "team"), event);
        return event;
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    private static <T> List<T> union(List<T> first, List<T> second) {
        List<T> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private static List<Integer> nCopies(int n, int value) {
        return java.util.Collections.nCopies(n, value);
    }
}
