package io.switchboard.message;

import io.switchboard.events.chat.ChatMessageEvent;
import io.switchboard.events.integration.BusinessEntity;
import io.switchboard.events.integration.BusinessEvent;
import io.switchboard.events.membership.SystemConversationRequest;
import io.switchboard.platform.kafka.DeadLetterFilter;
import io.switchboard.platform.kafka.DeadLetterReplay;
import io.switchboard.platform.kafka.DeadLetters;
import io.switchboard.platform.kafka.ReplayReport;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import io.switchboard.platform.testing.ServiceIntegrationTest;
import io.switchboard.platform.testing.TestApps;
import io.switchboard.platform.testing.TestHttp;
import io.switchboard.platform.testing.TestMembership;
import io.switchboard.platform.testing.TestProducers;
import io.switchboard.platform.testing.TopicProbe;
import io.switchboard.schemas.SystemConversations;
import io.switchboard.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.switchboard.platform.testing.TestHttp.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Business-event routing on real parts: rules created over HTTP, events produced in Avro on the
 * real broker and registry, notifications stored in PostgreSQL and published on chat.messages.
 * Membership-service's topics are written by the test (its own tests cover how it writes them).
 */
class RoutingKafkaPostgresTests extends ServiceIntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @BeforeEach
    void appUsersAndConversations() {
        TestApps.active(appId);
        TestApps.active(otherAppId);
        TestMembership.group(appId, "sales-wins", "Sales wins", List.of("alice", "bob"));
        TestMembership.user(appId, "alice", "de", List.of(), List.of());
        TestMembership.user(appId, "bob");
        TestMembership.user(appId, "carol", "pt-BR", List.of(), List.of());
        for (String user : List.of("alice", "bob", "carol")) {
            TestMembership.systemConversation(appId, user, "crm");
        }
    }

    @Test
    void dealWonNotifiesTheOwnerInTheirLocaleWithACardAndTheGroupInTheDefault() {
        createRule("deal-won", rule(match("crm", List.of("deal.won"), null),
                List.of(Map.of("type", "EVENT_FIELD", "field", "payload.ownerId"),
                        Map.of("type", "CONVERSATION", "conversationId", "sales-wins")),
                dealWonContent()));

        send(dealWon("evt-1", "ACME renewal", "alice", 12000));

        ChatMessageEvent toAlice = awaitNotification(systemConversation("alice"), 1);
        assertThat(toAlice.getMessage().getText()).isEqualTo("Auftrag gewonnen: ACME renewal");
        assertThat(toAlice.getMessage().getCard().getTitle()).isEqualTo("ACME renewal (12000 EUR)");
        assertThat(toAlice.getMessage().getOrigin().getEventId()).isEqualTo("evt-1");
        assertThat(toAlice.getMessage().getOrigin().getRouteId()).isEqualTo("deal-won");
        ChatMessageEvent toGroup = awaitNotification("sales-wins", 1);
        assertThat(toGroup.getMessage().getText()).isEqualTo("Deal won: ACME renewal");
        var card = toGroup.getMessage().getCard();
        assertThat(card.getFields()).extracting(f -> f.getLabel() + "=" + f.getValue()).containsExactly("Amount=12000 EUR");
        assertThat(card.getActions()).extracting(a -> a.getId() + ":" + a.getUrl() + ":" + a.getCallbackId())
                .containsExactly("open:https://crm.example.com/deals/D-evt%201:null", "ack:null:ack/evt-1");

        TestHttp.Response history = http().get("/v1/conversations/" + systemConversation("alice") + "/messages",
                bearer(tokens.userToken(appId, "alice", "messages:read")));
        assertThat(history.status()).isEqualTo(200);
        assertThat(history.json().get("messages").get(0).get("text").asString()).isEqualTo("Auftrag gewonnen: ACME renewal");
    }

    @Test
    void conditionSelectsEventsAndARedeliveredEventNotifiesOnce() {
        createRule("big-deals", rule(match("crm", List.of("deal.won"), "payload.amount >= 10000 && entity.type == 'deal'"),
                List.of(Map.of("type", "USERS", "userIds", List.of("bob"))), Map.of("text", "Big: {{entity.displayName}}")));

        send(dealWon("small", "Small one", "alice", 500));
        send(dealWon("big", "Big one", "alice", 50000));
        send(dealWon("big", "Big one again", "alice", 50000));
        send(dealWon("bigger", "Bigger one", "alice", 90000));

        awaitNotification(systemConversation("bob"), 2);
        assertThat(texts(systemConversation("bob"))).containsExactly("Big: Big one", "Big: Bigger one");
    }

    @Test
    void departmentRoleAndTagTargetsNotifyActiveUsersAndReportUnknownOnes() {
        TestMembership.deactivatedUser(appId, "dave");
        TestMembership.user(appId, "frank", null, List.of("sales-emea", "sales"), List.of());
        TestMembership.user(appId, "gina", null, List.of("support"), List.of("on-call"));
        TestMembership.user(appId, "hal", null, List.of("support"), List.of());
        for (String user : List.of("frank", "gina", "hal")) {
            TestMembership.systemConversation(appId, user, "crm");
        }
        createRule("escalations", rule(match("crm", List.of(), null),
                List.of(Map.of("type", "USERS", "userIds", List.of("carol", "ghost", "dave")),
                        Map.of("type", "CONVERSATION_ROLE", "conversationId", "sales-wins", "roles", List.of("OWNER")),
                        Map.of("type", "DEPARTMENT", "departmentId", "sales"),
                        Map.of("type", "TAG", "tag", "on-call")),
                Map.of("text", "Escalated: {{entity.displayName}}", "locales", Map.of("pt", Map.of("text", "Escalado: {{entity.displayName}}")))));

        send(event("esc-1", "crm", "ticket.escalated", "T-1", "Printer on fire", Map.of()));

        assertThat(awaitNotification(systemConversation("carol"), 1).getMessage().getText()).isEqualTo("Escalado: Printer on fire");
        assertThat(awaitNotification(systemConversation("alice"), 1).getMessage().getText()).isEqualTo("Escalated: Printer on fire");
        assertThat(awaitNotification(systemConversation("frank"), 1).getMessage().getText()).isEqualTo("Escalated: Printer on fire");
        assertThat(awaitNotification(systemConversation("gina"), 1).getMessage().getText()).isEqualTo("Escalated: Printer on fire");
        assertThat(texts(systemConversation("hal"))).isEmpty();
        TestHttp.Response report = http().get("/v1/routing/events/esc-1", appToken());
        assertThat(report.status()).isEqualTo(200);
        assertThat(report.json().get("rules").get(0).get("notified").asInt()).isEqualTo(4);
        assertThat(report.json().get("rules").get(0).get("unknownUsers").valueStream().map(n -> n.asString()).toList())
                .containsExactly("ghost", "dave (deactivated)");
    }

    @Test
    void aUserWithoutASystemConversationGetsOneRequestedFromMembershipService() {
        TestMembership.user(appId, "erin");
        createRule("to-erin", rule(match("crm", List.of(), null), List.of(Map.of("type", "USERS", "userIds", List.of("erin"))),
                Map.of("text", "Hello {{actor}}")));

        send(event("erin-1", "crm", "deal.created", "D-9", "New deal", Map.of()));

        List<ConsumerRecord<String, SystemConversationRequest>> requests = TopicProbe.awaitRecord(
                Topics.MEMBERSHIP_REQUESTS.name(), r -> r.value().getAppId().equals(appId));
        SystemConversationRequest request = requests.stream().filter(r -> r.value().getAppId().equals(appId))
                .findFirst().orElseThrow().value();
        assertThat(request.getUserId()).isEqualTo("erin");
        assertThat(request.getSource()).isEqualTo("crm");
        TestMembership.systemConversation(appId, "erin", "crm");   // what membership-service does on the request

        assertThat(awaitNotification(systemConversation("erin"), 1).getMessage().getText()).isEqualTo("Hello carol");
    }

    @Test
    void throttleLetsNPerWindowAndKeyThroughAndCriticalRulesBypassIt() {
        createRule("noisy", rule(match("crm", List.of("deal.updated"), null),
                List.of(Map.of("type", "USERS", "userIds", List.of("bob"))), Map.of("text", "Updated {{entity.id}} #{{eventId}}"),
                Map.of("throttle", Map.of("max", 2, "per", "PT1H", "key", "{{entity.id}}"))));
        createRule("critical", rule(match("crm", List.of("deal.lost"), null),
                List.of(Map.of("type", "USERS", "userIds", List.of("bob"))), Map.of("text", "Lost {{eventId}}"),
                Map.of("critical", true, "throttle", Map.of("max", 1, "per", "PT1H"),
                        "digest", Map.of("window", "PT1H"))));

        for (int i = 1; i <= 4; i++) {
            send(event("u" + i, "crm", "deal.updated", "D-1", "Deal 1", Map.of()));
        }
        send(event("u5", "crm", "deal.updated", "D-2", "Deal 2", Map.of()));
        send(event("l1", "crm", "deal.lost", "D-3", "Deal 3", Map.of()));
        send(event("l2", "crm", "deal.lost", "D-3", "Deal 3", Map.of()));

        awaitNotification(systemConversation("bob"), 5);
        // events are keyed by event id, so they reach routing in no guaranteed order: which two of D-1's pass is open
        List<String> texts = texts(systemConversation("bob"));
        assertThat(texts).hasSize(5).contains("Updated D-2 #u5", "Lost l1", "Lost l2");
        assertThat(texts.stream().filter(text -> text.startsWith("Updated D-1 #u"))).hasSize(2);
    }

    @Test
    void digestCollectsAWindowIntoOneSummaryInEachRecipientsLocale() {
        createRule("digest", rule(match("crm", List.of("task.assigned"), null),
                List.of(Map.of("type", "USERS", "userIds", List.of("bob", "alice"))), Map.of("text", "Task {{entity.displayName}}"),
                Map.of("digest", Map.of("window", "PT3S", "text",
                        "{{count}} tasks:{{#events}} {{entity.displayName}} ({{#number}}{{payload.hours}}{{/number}} h);{{/events}}"))));

        send(event("t1", "crm", "task.assigned", "K-1", "Write report", Map.of("hours", "1234.5")));
        send(event("t2", "crm", "task.assigned", "K-2", "Call ACME", Map.of("hours", "2")));
        send(event("t3", "crm", "task.assigned", "K-3", "Plan Q3", Map.of("hours", "0.25")));

        ChatMessageEvent digest = awaitNotification(systemConversation("bob"), 1);
        // bob has no locale: the neutral forms; alice reads German
        assertThat(digest.getMessage().getText())
                .isEqualTo("3 tasks: Write report (1,234.5 h); Call ACME (2 h); Plan Q3 (0.25 h);");
        assertThat(digest.getMessage().getOrigin().getRouteId()).isEqualTo("digest");
        assertThat(awaitNotification(systemConversation("alice"), 1).getMessage().getText())
                .isEqualTo("3 tasks: Write report (1.234,5 h); Call ACME (2 h); Plan Q3 (0,25 h);");
    }

    @Test
    void preferencesMuteASourceOrDigestAnEventType() {
        createRule("all-crm", rule(match("crm", List.of(), null),
                List.of(Map.of("type", "USERS", "userIds", List.of("alice", "bob"))), Map.of("text", "{{eventType}} {{eventId}}")));
        String alice = bearer(tokens.userToken(appId, "alice", "messages:read", "messages:write"));
        String bob = bearer(tokens.userToken(appId, "bob", "messages:read", "messages:write"));
        assertThat(http().send("PUT", "/v1/me/notification-preferences", alice,
                Map.of("preferences", List.of(Map.of("source", "crm", "mode", "MUTE")))).status()).isEqualTo(200);
        TestHttp.Response bobs = http().send("PUT", "/v1/me/notification-preferences", bob, Map.of("preferences", List.of(
                Map.of("source", "crm", "eventType", "deal.updated", "mode", "DIGEST", "digestWindow", "PT1M"))));
        assertThat(bobs.status()).isEqualTo(200);
        assertThat(http().get("/v1/me/notification-preferences", bob).json().get("preferences").get(0).get("mode").asString())
                .isEqualTo("DIGEST");

        send(event("p1", "crm", "deal.updated", "D-1", "One", Map.of()));
        send(event("p2", "crm", "deal.won", "D-1", "One", Map.of()));

        awaitNotification(systemConversation("bob"), 1);
        assertThat(texts(systemConversation("bob"))).containsExactly("deal.won p2");
        assertThat(texts(systemConversation("alice"))).isEmpty();
        TestHttp.Response report = http().get("/v1/routing/events/p1", appToken());
        assertThat(report.json().get("rules").get(0).get("digested").asInt()).isEqualTo(1);
    }

    @Test
    void aFailingRuleDeadLettersTheEventWithoutHoldingBackTheOthersAndAReplayRoutesOnlyWhatFailed() {
        createRule("good", rule(match("crm", List.of("deal.won"), null),
                List.of(Map.of("type", "USERS", "userIds", List.of("bob"))), Map.of("text", "Good {{eventId}}")));
        createRule("bad-link", rule(match("crm", List.of("deal.won"), null),
                List.of(Map.of("type", "USERS", "userIds", List.of("alice"))), Map.of("text", "Link",
                        "card", Map.of("title", "Open", "actions", List.of(Map.of("id", "o", "label", "Open", "url", "{{{entity.url}}}"))))));

        BusinessEvent withoutUrl = dealWon("fail-1", "No link", "alice", 1);
        send(withoutUrl);

        ConsumerRecord<String, byte[]> dead = awaitDeadLetter("fail-1");
        assertThat(header(dead, DeadLetters.REASON_HEADER)).isEqualTo("template-error");
        assertThat(header(dead, "kafka_dlt-exception-message")).contains("bad-link");
        assertThat(awaitNotification(systemConversation("bob"), 1).getMessage().getText()).isEqualTo("Good fail-1");

        // the app fixes the rule, the operator replays the dead letter: only the failed rule routes now
        replaceRule("bad-link", rule(match("crm", List.of("deal.won"), null),
                List.of(Map.of("type", "USERS", "userIds", List.of("alice"))), Map.of("text", "Fixed {{eventId}}")));
        ReplayReport replayed = DeadLetterReplay.withClientSettings(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                        System.getProperty(EmbeddedKafkaBroker.SPRING_EMBEDDED_KAFKA_BROKERS)))
                .replay(Topics.INTEGRATION_EVENTS.name(), new DeadLetterFilter("template-error", null, null, "fail-1"), false);
        assertThat(replayed.selectedTotal()).isEqualTo(1);

        assertThat(awaitNotification(systemConversation("alice"), 1).getMessage().getText()).isEqualTo("Fixed fail-1");
        send(event("after", "crm", "deal.won", "D-5", "After", Map.of("url", "https://x.example")));
        awaitNotification(systemConversation("bob"), 2);
        assertThat(texts(systemConversation("bob"))).containsExactly("Good fail-1", "Good after");
    }

    @Test
    void aTransientDatabaseFailureIsRetriedAndTheEventNotifiesExactlyOnce() {
        createRule("flaky", rule(match("crm", List.of("deal.flaky"), null),
                List.of(Map.of("type", "USERS", "userIds", List.of("bob"))), Map.of("text", "Flaky {{eventId}}")));
        // the first five attempts fail like a serialization failure, after the rule's claim was written: more
        // than the few retries other failures get before being dead-lettered
        jdbc.sql("CREATE SEQUENCE IF NOT EXISTS flaky_attempts").update();
        jdbc.sql("""
                CREATE OR REPLACE FUNCTION fail_five_times() RETURNS trigger AS $$
                BEGIN IF nextval('flaky_attempts') <= 5 THEN
                  RAISE EXCEPTION 'injected transient failure' USING ERRCODE = '40001'; END IF;
                RETURN NEW; END $$ LANGUAGE plpgsql""").update();
        jdbc.sql("CREATE TRIGGER fail_five_times BEFORE INSERT ON messages FOR EACH ROW "
                + "WHEN (NEW.origin_event_id = 'flaky-1') EXECUTE FUNCTION fail_five_times()").update();
        try {
            send(event("flaky-1", "crm", "deal.flaky", "D-1", "x", Map.of()));

            awaitNotification(systemConversation("bob"), 1);
            assertThat(texts(systemConversation("bob"))).containsExactly("Flaky flaky-1");
            assertThat(jdbc.sql("SELECT last_value FROM flaky_attempts").query(Long.class).single()).isEqualTo(6);
            assertThat(http().get("/v1/routing/events/flaky-1", appToken()).json().get("rules").get(0).get("notified")
                    .asInt()).isEqualTo(1);
        } finally {
            jdbc.sql("DROP TRIGGER IF EXISTS fail_five_times ON messages").update();
        }
    }

    @Test
    void unroutableEventsAreDeadLetteredWithTheirReason() {
        createRule("to-nobody", rule(match("hr", List.of(), null),
                List.of(Map.of("type", "EVENT_FIELD", "field", "payload.managerId"),
                        Map.of("type", "CONVERSATION", "conversationId", "no-such-conversation")),
                Map.of("text", "x")));
        createRule("bad-condition", rule(match("ops", List.of(), "payload.severity > 3"),
                List.of(Map.of("type", "USERS", "userIds", List.of("bob"))), Map.of("text", "x")));

        send(event("nobody", "hr", "employee.joined", "E-1", "Zed", Map.of()));
        send(event("no-severity", "ops", "alert", "A-1", "Disk", Map.of()));
        BusinessEvent foreign = event("foreign", "crm", "deal.won", "D-1", "x", Map.of());
        foreign.setAppId("no-such-app-" + UUID.randomUUID());
        send(foreign);
        TestProducers.sendRaw(Topics.INTEGRATION_EVENTS.name(), "garbage", "not avro".getBytes(StandardCharsets.UTF_8));

        assertThat(header(awaitDeadLetter("nobody"), DeadLetters.REASON_HEADER)).isEqualTo("unresolvable-targets");
        assertThat(header(awaitDeadLetter("no-severity"), DeadLetters.REASON_HEADER)).isEqualTo("condition-error");
        assertThat(header(awaitDeadLetter("foreign"), DeadLetters.REASON_HEADER)).isEqualTo("unknown-app");
        ConsumerRecord<String, byte[]> garbage = awaitDeadLetter("garbage");
        assertThat(header(garbage, DeadLetters.REASON_HEADER)).isEqualTo("malformed-record");
        assertThat(new String(garbage.value(), StandardCharsets.UTF_8)).isEqualTo("not avro");
    }

    @Test
    void aDryRunShowsMatchesRecipientsAndRenderedNotificationsWithoutSendingAnything() {
        createRule("dry", rule(match("crm", List.of("deal.won"), null),
                List.of(Map.of("type", "EVENT_FIELD", "field", "payload.ownerId"), Map.of("type", "USERS", "userIds", List.of("ghost")),
                        Map.of("type", "CONVERSATION", "conversationId", "sales-wins")),
                dealWonContent(), Map.of("throttle", Map.of("max", 1, "per", "PT1H"))));
        createRule("other-type", rule(match("crm", List.of("deal.lost"), null),
                List.of(Map.of("type", "USERS", "userIds", List.of("bob"))), Map.of("text", "x")));
        Map<String, Object> event = Map.of("eventId", "dry-1", "source", "crm", "eventType", "deal.won",
                "occurredAt", "2026-11-27T10:00:00Z", "entity", Map.of("type", "deal", "id", "D-1", "displayName", "ACME"),
                "payload", Map.of("amount", 12000, "currency", "EUR", "ownerId", "alice"));

        TestHttp.Response all = http().postJson("/v1/routing/dry-run", appToken(), Map.of("event", event));

        assertThat(all.status()).as(all.body()).isEqualTo(200);
        var rules = all.json().get("rules");
        assertThat(rules.valueStream().map(r -> r.get("ruleId").asString() + ":" + r.get("result").asString()))
                .containsExactlyInAnyOrder("dry:MATCHED", "other-type:NOT_MATCHED");
        var dry = rules.valueStream().filter(r -> r.get("ruleId").asString().equals("dry")).findFirst().orElseThrow();
        assertThat(dry.get("result").asString()).isEqualTo("MATCHED");
        assertThat(dry.get("unknownUsers").get(0).asString()).isEqualTo("ghost");
        var notifications = dry.get("notifications");
        assertThat(notifications.valueStream().map(n -> n.get("conversationId").asString() + ":" + n.get("outcome").asString()
                + ":" + n.get("content").get("text").asString()))
                .containsExactlyInAnyOrder("sales-wins:SEND:Deal won: ACME", systemConversation("alice") + ":SEND:Auftrag gewonnen: ACME");

        TestHttp.Response draft = http().postJson("/v1/routing/dry-run", appToken(), Map.of("event", event,
                "rule", rule(match("crm", List.of(), "payload.amount > 50000"), List.of(Map.of("type", "USERS", "userIds", List.of("bob"))),
                        Map.of("text", "x"))));
        assertThat(draft.json().get("rules").get(0).get("result").asString()).isEqualTo("CONDITION_FALSE");
        TestHttp.Response failing = http().postJson("/v1/routing/dry-run", appToken(), Map.of("event", event,
                "rule", rule(match("crm", List.of(), null), List.of(Map.of("type", "EVENT_FIELD", "field", "payload.nobody")),
                        Map.of("text", "x"))));
        assertThat(failing.json().get("rules").get(0).get("reason").asString()).isEqualTo("unresolvable-targets");
        assertThat(http().postJson("/v1/routing/dry-run", appToken(), Map.of("event", event, "ruleId", "nope")).text("code"))
                .isEqualTo("rule-not-found");
        assertThat(http().postJson("/v1/routing/dry-run", appToken(), Map.of("event", event, "rule", rule(
                match("crm", List.of(), "payload.amount >"), List.of(Map.of("type", "USERS", "userIds", List.of("bob"))),
                Map.of("text", "x")))).text("code")).isEqualTo("invalid-condition");

        // nothing was sent and the throttle was not counted: the real event still notifies
        assertThat(texts(systemConversation("alice"))).isEmpty();
        send(dealWon("dry-1", "ACME", "alice", 12000));
        assertThat(awaitNotification(systemConversation("alice"), 1).getMessage().getText()).isEqualTo("Auftrag gewonnen: ACME");
    }

    @Test
    void rulesAreVersionedAuditedAndValidated() {
        Map<String, Object> definition = rule(match("crm", List.of("deal.won"), null),
                List.of(Map.of("type", "USERS", "userIds", List.of("bob"))), Map.of("text", "v1"));
        TestHttp.Response created = http().send("PUT", "/v1/routing/rules/r1", appToken(), definition,
                Map.of("If-None-Match", "*"));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("version").asLong()).isEqualTo(1);
        assertThat(http().send("PUT", "/v1/routing/rules/r1", appToken(), definition, Map.of("If-None-Match", "*")).text("code"))
                .isEqualTo("rule-exists");

        Map<String, Object> v2 = new HashMap<>(definition);
        v2.put("content", Map.of("text", "v2"));
        assertThat(http().send("PUT", "/v1/routing/rules/r1", appToken(), v2, Map.of("If-Match", "\"1\"")).status()).isEqualTo(200);
        TestHttp.Response stale = http().send("PUT", "/v1/routing/rules/r1", appToken(), v2, Map.of("If-Match", "\"1\""));
        assertThat(stale.status()).isEqualTo(412);
        assertThat(stale.text("code")).isEqualTo("rule-version-mismatch");
        assertThat(http().get("/v1/routing/rules/r1", appToken()).json().get("definition").get("content").get("text").asString())
                .isEqualTo("v2");
        assertThat(http().delete("/v1/routing/rules/r1", appToken()).status()).isEqualTo(204);
        assertThat(http().get("/v1/routing/rules/r1", appToken()).text("code")).isEqualTo("rule-not-found");
        TestHttp.Response history = http().get("/v1/routing/rules/r1/history", appToken());
        assertThat(history.json().valueStream().map(c -> c.get("version").asLong() + ":" + c.get("change").asString()
                + ":" + c.get("changedBy").asString())).containsExactly("1:CREATED:" + appId, "2:UPDATED:" + appId,
                "3:DELETED:" + appId);

        // other apps and users see nothing of it
        assertThat(http().get("/v1/routing/rules/r1/history", bearer(tokens.appToken(otherAppId, "routing:admin"))).status())
                .isEqualTo(404);
        assertThat(http().get("/v1/routing/rules", bearer(tokens.userToken(appId, "bob", "messages:read"))).status())
                .isEqualTo(403);
    }

    @Test
    void conditionsCannotReachJavaAndBrokenRulesAreRefusedWithAClearCode() {
        for (String attempt : List.of("java.lang.Runtime.getRuntime().exec('touch /tmp/pwned') != null",
                "T(java.lang.Runtime).getRuntime().exec('id')", "payload.getClass().forName('java.lang.System') != null",
                "'a string is not a condition'", "payload.amount > ")) {
            TestHttp.Response refused = http().postJson("/v1/routing/rules", appToken(), rule(match("crm", List.of(), attempt),
                    List.of(Map.of("type", "USERS", "userIds", List.of("bob"))), Map.of("text", "x")));
            assertThat(refused.status()).as(attempt).isEqualTo(400);
            assertThat(refused.text("code")).as(attempt).isEqualTo("invalid-condition");
        }
        TestHttp.Response badTemplate = http().postJson("/v1/routing/rules", appToken(), rule(match("crm", List.of(), null),
                List.of(Map.of("type", "USERS", "userIds", List.of("bob"))), Map.of("text", "{{#open}} never closed")));
        assertThat(badTemplate.text("code")).isEqualTo("invalid-template");
        TestHttp.Response badTarget = http().postJson("/v1/routing/rules", appToken(), rule(match("crm", List.of(), null),
                List.of(Map.of("type", "EVENT_FIELD", "field", "getClass")), Map.of("text", "x")));
        assertThat(badTarget.status()).isEqualTo(400);
        assertThat(badTarget.text("detail")).contains("actor, concerns or payload.<key>");
        TestHttp.Response badLocale = http().postJson("/v1/routing/rules", appToken(), rule(match("crm", List.of(), null),
                List.of(Map.of("type", "USERS", "userIds", List.of("bob"))),
                Map.of("text", "x", "locales", Map.of("not a locale!", Map.of("text", "y")))));
        assertThat(badLocale.status()).isEqualTo(400);
        assertThat(new java.io.File("/tmp/pwned")).doesNotExist();
    }

    // --- helpers

    private String appToken() {
        return bearer(tokens.appToken(appId, "routing:admin"));
    }

    private void createRule(String ruleId, Map<String, Object> definition) {
        TestHttp.Response response = http().send("PUT", "/v1/routing/rules/" + ruleId, appToken(), definition,
                Map.of("If-None-Match", "*"));
        assertThat(response.status()).as(response.body()).isEqualTo(201);
    }

    private void replaceRule(String ruleId, Map<String, Object> definition) {
        TestHttp.Response response = http().send("PUT", "/v1/routing/rules/" + ruleId, appToken(), definition);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    static Map<String, Object> match(String source, List<String> eventTypes, String condition) {
        Map<String, Object> match = new LinkedHashMap<>();
        match.put("source", source);
        match.put("eventTypes", eventTypes);
        if (condition != null) {
            match.put("condition", condition);
        }
        return match;
    }

    static Map<String, Object> rule(Map<String, Object> match, List<Map<String, Object>> targets, Map<String, Object> content) {
        return rule(match, targets, content, Map.of());
    }

    static Map<String, Object> rule(Map<String, Object> match, List<Map<String, Object>> targets, Map<String, Object> content,
                                    Map<String, Object> extra) {
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("name", "test rule");
        rule.put("match", match);
        rule.put("targets", targets);
        rule.put("content", content);
        rule.putAll(extra);
        return rule;
    }

    private static Map<String, Object> dealWonContent() {
        Map<String, Object> card = Map.of("title", "{{entity.displayName}} ({{payload.amount}} {{payload.currency}})",
                "fields", List.of(Map.of("label", "Amount", "value", "{{payload.amount}} {{payload.currency}}")),
                "actions", List.of(Map.of("id", "open", "label", "Open", "url", "https://crm.example.com/deals/{{entity.id}}"),
                        Map.of("id", "ack", "label", "Acknowledge", "callbackId", "ack/{{eventId}}")));
        return Map.of("text", "Deal won: {{entity.displayName}}", "card", card,
                "locales", Map.of("de", Map.of("text", "Auftrag gewonnen: {{entity.displayName}}", "card", card)));
    }

    private String systemConversation(String userId) {
        return SystemConversations.id(userId, "crm");
    }

    private void send(BusinessEvent event) {
        TestProducers.sendAvro(Topics.INTEGRATION_EVENTS.name(), event.getEventId(), event);
    }

    private BusinessEvent dealWon(String eventId, String dealName, String ownerId, long amount) {
        return event(eventId, "crm", "deal.won", "D-" + eventId.replace("-", " "), dealName,
                Map.of("amount", amount, "currency", "EUR", "ownerId", ownerId));
    }

    private BusinessEvent event(String eventId, String source, String type, String entityId, String name,
                                Map<String, Object> extra) {
        Map<String, Object> payload = new HashMap<>(extra);
        String url = (String) payload.remove("url");
        return BusinessEvent.newBuilder()
                .setEventId(eventId).setAppId(appId).setSource(source).setEventType(type)
                .setOccurredAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .setEntity(BusinessEntity.newBuilder().setType(type.substring(0, type.indexOf('.') < 0 ? type.length()
                        : type.indexOf('.'))).setId(entityId).setDisplayName(name).setUrl(url).build())
                .setActor("carol")
                .setPayload(payload)
                .build();
    }

    /** Waits until the conversation has a notification with this seq and returns it. */
    private ChatMessageEvent awaitNotification(String conversationId, long seq) {
        List<ConsumerRecord<String, ChatMessageEvent>> records = TopicProbe.awaitRecord(Topics.CHAT_MESSAGES.name(),
                r -> matches(r.value(), conversationId) && r.value().getSeq() == seq);
        return records.stream().filter(r -> matches(r.value(), conversationId) && r.value().getSeq() == seq)
                .findFirst().orElseThrow().value();
    }

    /** Every notification text published in the conversation so far, in seq order. */
    private List<String> texts(String conversationId) {
        String marker = "marker-" + UUID.randomUUID();
        TestMembership.user(appId, marker);
        TestMembership.systemConversation(appId, marker, "marker");
        createRule(marker, rule(match("marker", List.of(), null), List.of(Map.of("type", "USERS", "userIds", List.of(marker))),
                Map.of("text", "marker")));
        send(event(marker, "marker", "marker.sent", "M", "M", Map.of()));
        // everything sent before the marker on the same partition was routed and published before it
        List<ConsumerRecord<String, ChatMessageEvent>> records = TopicProbe.awaitRecord(Topics.CHAT_MESSAGES.name(),
                r -> matches(r.value(), SystemConversations.id(marker, "marker")));
        return records.stream().map(ConsumerRecord::value).filter(e -> matches(e, conversationId))
                .sorted(java.util.Comparator.comparingLong(ChatMessageEvent::getSeq))
                .map(e -> e.getMessage().getText()).toList();
    }

    private boolean matches(ChatMessageEvent event, String conversationId) {
        return event != null && event.getAppId().equals(appId) && event.getConversationId().equals(conversationId);
    }

    private static ConsumerRecord<String, byte[]> awaitDeadLetter(String key) {
        return TopicProbe.awaitRawRecord(Topics.INTEGRATION_EVENTS_DLT.name(), r -> key.equals(r.key())).stream()
                .filter(r -> key.equals(r.key())).findFirst().orElseThrow();
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
