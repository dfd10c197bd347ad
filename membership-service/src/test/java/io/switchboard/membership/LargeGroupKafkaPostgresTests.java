package io.switchboard.membership;

import io.switchboard.events.membership.ConversationMember;
import io.switchboard.events.membership.ConversationState;
import io.switchboard.platform.membership.ConversationsView;
import io.switchboard.platform.membership.MembersView;
import io.switchboard.platform.membership.MembershipView;
import io.switchboard.platform.testing.ServiceIntegrationTest;
import io.switchboard.platform.testing.TestApps;
import io.switchboard.platform.testing.TestHttp;
import io.switchboard.platform.testing.TopicProbe;
import io.switchboard.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import static io.switchboard.platform.testing.TestHttp.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A group of 10,000 members: every operation works, listing pages through all of them, no record
 * comes near Kafka's default maximum message size, and a service's view rebuilds the whole group
 * from the two compacted topics alone.
 */
class LargeGroupKafkaPostgresTests extends ServiceIntegrationTest {

    static final int MEMBERS = 10_000;
    /** Kafka's default max.message.bytes / message.max.bytes. */
    static final int KAFKA_DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;

    @Autowired
    KafkaProperties kafkaProperties;

    @Test
    void tenThousandMembersWorkEndToEnd() throws Exception {
        TestApps.active(appId);
        String app = bearer(tokens.appToken(appId, "conversations:write", "conversations:read"));
        // long user ids make the full member list alone larger than Kafka's default maximum
        String padding = "x".repeat(100);
        List<String> users = new java.util.ArrayList<>(List.of("owner-" + padding));
        IntStream.range(0, MEMBERS).forEach(i -> users.add("u" + i + "-" + padding));
        TestUsers.provision(http(), appId, users);
        assertThat(http().postJson("/v1/conversations", app, Map.of("conversationId", "all-hands", "type", "GROUP",
                "members", List.of(Map.of("userId", "owner-" + padding, "role", "OWNER")))).status()).isEqualTo(201);
        for (int batch = 0; batch < MEMBERS / 1000; batch++) {
            int first = batch * 1000;
            TestHttp.Response added = http().postJson("/v1/conversations/all-hands/members", app, Map.of("members",
                    IntStream.range(first, first + 1000).mapToObj(i -> Map.of("userId", "u" + i + "-" + padding)).toList()));
            assertThat(added.status()).as(added.body()).isEqualTo(200);
        }
        TestHttp.Response conversation = http().get("/v1/conversations/all-hands", app);
        assertThat(conversation.json().get("memberCount").asLong()).isEqualTo(MEMBERS + 1);

        Set<String> listed = new HashSet<>();
        String after = null;
        do {
            TestHttp.Response page = http().get("/v1/conversations/all-hands/members?limit=1000"
                    + (after == null ? "" : "&after=" + after), app);
            page.json().get("members").valueStream().forEach(m -> listed.add(m.get("userId").asString()));
            after = page.json().get("nextAfter").isNull() ? null : page.json().get("nextAfter").asString();
        } while (after != null);
        assertThat(listed).hasSize(MEMBERS + 1);

        TestHttp.Response removed = http().delete("/v1/conversations/all-hands/members/u42-" + padding, app);
        TestHttp.Response muted = http().send("PATCH", "/v1/conversations/all-hands/members/u43-" + padding, app,
                Map.of("role", "ADMIN"));
        assertThat(removed.status()).isEqualTo(200);
        assertThat(muted.status()).isEqualTo(200);

        List<ConsumerRecord<String, ConversationState>> states = TopicProbe.awaitRecord(Topics.MEMBERSHIP_CHANGES.name(),
                r -> r.key().equals(appId + "/all-hands") && r.value().getMemberCount() == MEMBERS
                        && r.value().getVersion() == 13);
        List<ConsumerRecord<String, ConversationMember>> members = TopicProbe.awaitRecord(Topics.MEMBERSHIP_MEMBERS.name(),
                r -> r.key().equals(appId + "/all-hands/u43-" + padding) && r.value().getRole().name().equals("ADMIN"));
        int largest = Math.max(states.stream().mapToInt(ConsumerRecord::serializedValueSize).max().orElseThrow(),
                members.stream().mapToInt(ConsumerRecord::serializedValueSize).max().orElseThrow());
        System.out.printf("large group: %d members, largest membership record %d bytes%n", MEMBERS, largest);
        assertThat(largest).isLessThan(KAFKA_DEFAULT_MAX_MESSAGE_BYTES / 100);

        ConversationsView conversations = new ConversationsView(kafkaProperties);
        MembersView memberViews = new MembersView(kafkaProperties);
        conversations.start();
        memberViews.start();
        try {
            MembershipView view = new MembershipView(conversations, memberViews);
            await().atMost(Duration.ofSeconds(60)).until(() -> conversations.isCaughtUp() && memberViews.isCaughtUp());
            ConversationState state = view.findFresh(appId, "all-hands").orElseThrow();
            assertThat(view.memberIds(state)).hasSize(MEMBERS)
                    .contains("u43-" + padding).doesNotContain("u42-" + padding);
            assertThat(view.member(appId, "all-hands", "u43-" + padding).orElseThrow().getRole().name()).isEqualTo("ADMIN");
        } finally {
            conversations.stop();
            memberViews.stop();
        }
    }
}
