package io.switchboard.membership;

import io.switchboard.events.membership.ConversationMember;
import io.switchboard.events.membership.ConversationState;
import io.switchboard.platform.testing.ServiceIntegrationTest;
import io.switchboard.platform.testing.TestApps;
import io.switchboard.platform.testing.TestHttp;
import io.switchboard.platform.testing.TopicProbe;
import io.switchboard.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static io.switchboard.platform.testing.TestHttp.bearer;
import static org.assertj.core.api.Assertions.assertThat;

class ConversationsKafkaPostgresTests extends ServiceIntegrationTest {

    @BeforeEach
    void appsExist() {
        TestApps.active(appId);
        TestApps.active("other-app");
        TestUsers.provision(http(), appId, List.of("alice", "bob", "carol", "a"));
    }

    String app() {
        return bearer(tokens.appToken(appId, "conversations:write", "conversations:read"));
    }

    TestHttp.Response createSalesGroup(String id) {
        return http().postJson("/v1/conversations", app(), Map.of(
                "conversationId", id, "type", "GROUP", "name", "Sales wins",
                "members", List.of(Map.of("userId", "alice", "role", "OWNER"), Map.of("userId", "bob"))));
    }

    @Test
    void createdGroupIsStoredAndPublishedWithOneRecordPerMember() {
        TestHttp.Response created = createSalesGroup("sales-wins");

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().get("memberCount").asLong()).isEqualTo(2);
        ConversationState state = TopicProbe.<ConversationState>awaitRecord(Topics.MEMBERSHIP_CHANGES.name(),
                        r -> r.key().equals(appId + "/sales-wins")).stream()
                .filter(r -> r.key().equals(appId + "/sales-wins")).findFirst().orElseThrow().value();
        assertThat(state.getVersion()).isEqualTo(1);
        assertThat(state.getMemberCount()).isEqualTo(2);
        assertThat(state.getCreatedAt()).as("tells this conversation from a later one of the same id")
                .isEqualTo(Instant.parse(created.text("createdAt")));
        List<ConsumerRecord<String, ConversationMember>> members = TopicProbe.awaitRecord(
                Topics.MEMBERSHIP_MEMBERS.name(), r -> r.key().equals(appId + "/sales-wins/bob"));
        assertThat(members).filteredOn(r -> r.key().startsWith(appId + "/sales-wins/"))
                .extracting(r -> r.value().getUserId() + ":" + r.value().getRole())
                .containsExactlyInAnyOrder("alice:OWNER", "bob:MEMBER");
    }

    @Test
    void addingAndRemovingMembersPublishesTheMemberAndTheNewCount() {
        createSalesGroup("deals");

        http().postJson("/v1/conversations/deals/members", app(), Map.of("members", List.of(Map.of("userId", "carol"))));
        TestHttp.Response removed = http().delete("/v1/conversations/deals/members/bob", app());

        assertThat(removed.status()).isEqualTo(200);
        assertThat(removed.json().get("memberCount").asLong()).isEqualTo(2);
        List<ConsumerRecord<String, ConversationState>> states = TopicProbe.awaitRecord(
                Topics.MEMBERSHIP_CHANGES.name(), r -> r.key().equals(appId + "/deals") && r.value().getVersion() == 3);
        assertThat(states.stream().filter(r -> r.key().equals(appId + "/deals")).reduce((a, b) -> b).orElseThrow()
                .value().getMemberCount()).isEqualTo(2);
        List<ConsumerRecord<String, ConversationMember>> members = TopicProbe.awaitRecord(
                Topics.MEMBERSHIP_MEMBERS.name(), r -> r.key().equals(appId + "/deals/bob") && r.value() == null);
        assertThat(members).filteredOn(r -> r.key().equals(appId + "/deals/carol")).isNotEmpty();
    }

    @Test
    void everyMemberRecordSaysWhatTheChangeDidToTheMember() {
        createSalesGroup("roles");
        Instant inAnHour = Instant.now().plus(1, ChronoUnit.HOURS);

        http().postJson("/v1/conversations/roles/members", app(), Map.of("members", List.of(Map.of("userId", "carol"))));
        changeMember("bob", Map.of("role", "ADMIN"));
        changeMember("bob", Map.of("mutedUntil", inAnHour.toString()));
        changeMember("bob", Map.of("mutedUntil", inAnHour.plusSeconds(60).toString()));
        changeMember("bob", Map.of("mutedUntil", Instant.now().minusSeconds(60).toString()));
        changeMember("bob", Map.of("mutedAllExempt", true));
        changeMember("bob", Map.of("role", "MEMBER", "mutedUntil", inAnHour.toString()));
        assertThat(http().postJson("/v1/conversations/roles/owner", app(), Map.of("userId", "carol")).status()).isEqualTo(200);
        assertThat(http().delete("/v1/conversations/roles/members/bob", app()).status()).isEqualTo(200);

        TopicProbe.<ConversationMember>awaitRecord(Topics.MEMBERSHIP_MEMBERS.name(),
                r -> r.key().equals(appId + "/roles/bob") && r.value() == null);
        List<ConsumerRecord<String, ConversationMember>> records = TopicProbe.readToEnd(Topics.MEMBERSHIP_MEMBERS.name());
        assertThat(changesOf(records, "bob")).containsExactly("JOINED", "ROLE_CHANGED", "MUTED", "MUTED", "UNMUTED",
                "UPDATED", "UPDATED", "left");
        assertThat(changesOf(records, "carol")).containsExactly("JOINED", "ROLE_CHANGED");
        assertThat(changesOf(records, "alice")).containsExactly("JOINED", "ROLE_CHANGED");
        assertThat(records).filteredOn(r -> r.key().equals(appId + "/roles/alice")).last()
                .satisfies(r -> assertThat(r.value().getRole().name()).isEqualTo("ADMIN"));
    }

    private void changeMember(String userId, Map<String, Object> changes) {
        TestHttp.Response changed = http().send("PATCH", "/v1/conversations/roles/members/" + userId, app(), changes);
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
    }

    /** The changes of one member's records of conversation "roles", in order ("left" for a tombstone). */
    private List<String> changesOf(List<ConsumerRecord<String, ConversationMember>> records, String userId) {
        return records.stream().filter(r -> r.key().equals(appId + "/roles/" + userId))
                .map(r -> r.value() == null ? "left" : String.valueOf(r.value().getChange())).toList();
    }

    @Test
    void aUserSeesOnlyConversationsTheyAreIn() {
        createSalesGroup("private-deals");

        TestHttp.Response member = http().get("/v1/conversations/private-deals",
                bearer(tokens.userToken(appId, "bob", "conversations:read")));
        TestHttp.Response stranger = http().get("/v1/conversations/private-deals",
                bearer(tokens.userToken(appId, "mallory", "conversations:read")));
        TestHttp.Response otherApp = http().get("/v1/conversations/private-deals",
                bearer(tokens.appToken("other-app", "conversations:read")));

        assertThat(member.status()).isEqualTo(200);
        assertThat(stranger.status()).isEqualTo(404);
        assertThat(otherApp.status()).isEqualTo(404);
        assertThat(otherApp.text("code")).isEqualTo("conversation-not-found");
    }

    @Test
    void directConversationExistsOncePerPair() {
        Map<String, Object> direct = Map.of("type", "DIRECT",
                "members", List.of(Map.of("userId", "alice"), Map.of("userId", "bob")));

        TestHttp.Response first = http().postJson("/v1/conversations", app(), direct);
        TestHttp.Response second = http().postJson("/v1/conversations", app(), direct);

        assertThat(first.status()).isEqualTo(201);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.text("conversationId")).isEqualTo(first.text("conversationId"));
    }

    @Test
    void probesAndMetricsAreOnTheManagementPortOnlyAndApiDocsOnTheApiPort() {
        TestHttp.Response readiness = management().get("/actuator/health/readiness", null);
        assertThat(readiness.status()).isEqualTo(200);
        assertThat(readiness.json().get("components").propertyNames())
                .contains("db", "kafka", "readinessState", "workers", "code");
        // the membership.users view, the outbox relay, the backfill and the Kafka listeners, all running
        assertThat(readiness.json().get("components").get("workers").get("details").get("threads").asInt())
                .isGreaterThan(3);
        TestHttp.Response liveness = management().get("/actuator/health/liveness", null);
        assertThat(liveness.status()).isEqualTo(200);
        assertThat(liveness.json().get("components").propertyNames()).contains("livenessState", "workers", "code");
        assertThat(management().get("/actuator/prometheus", null).body()).contains("switchboard_outbox_published_total");
        assertThat(http().get("/v3/api-docs", null).body()).contains("/v1/conversations");

        for (String path : List.of("/actuator/health/readiness", "/actuator/prometheus", "/actuator/health")) {
            TestHttp.Response onTheApiPort = http().get(path, null);
            assertThat(onTheApiPort.status()).as(path).isIn(401, 404);
            assertThat(onTheApiPort.body()).as(path).doesNotContain("readinessState", "switchboard_outbox");
        }
    }

    @Test
    void badRequestsAreProblemsWithStableCodes() {
        createSalesGroup("taken");

        TestHttp.Response duplicate = createSalesGroup("taken");
        TestHttp.Response noType = http().postJson("/v1/conversations", app(), Map.of("name", "x"));
        TestHttp.Response badId = http().postJson("/v1/conversations", app(),
                Map.of("conversationId", "bad id!", "type", "GROUP", "members", List.of(Map.of("userId", "a"))));
        TestHttp.Response noToken = http().postJson("/v1/conversations", null, Map.of("type", "GROUP"));
        TestHttp.Response wrongScope = http().postJson("/v1/conversations",
                bearer(tokens.appToken(appId, "conversations:read")), Map.of("type", "GROUP"));

        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.text("code")).isEqualTo("conversation-exists");
        assertThat(noType.status()).isEqualTo(400);
        assertThat(noType.text("code")).isEqualTo("validation-failed");
        assertThat(badId.status()).isEqualTo(400);
        assertThat(noToken.status()).isEqualTo(401);
        assertThat(noToken.contentType()).startsWith("application/problem+json");
        assertThat(wrongScope.status()).isEqualTo(403);
        assertThat(wrongScope.text("code")).isEqualTo("forbidden");
    }
}
