package io.switchboard.message;

import io.switchboard.events.chat.ChatEventType;
import io.switchboard.events.chat.ChatMessageEvent;
import io.switchboard.platform.testing.ServiceIntegrationTest;
import io.switchboard.platform.testing.TestApps;
import io.switchboard.platform.testing.TestHttp;
import io.switchboard.platform.testing.TestMembership;
import io.switchboard.platform.testing.TopicProbe;
import io.switchboard.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.switchboard.platform.testing.TestHttp.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A user's conversation list, read positions, receipts and resuming with "what changed since". */
class InboxKafkaPostgresTests extends ServiceIntegrationTest {

    @BeforeEach
    void threeGroupsExist() {
        TestApps.active(appId);
        for (String group : List.of("g1", "g2", "g3")) {
            TestMembership.group(appId, group, "Group " + group, List.of("bob", "alice", "carol"));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> conversationIds("alice").size() == 3);
    }

    @Test
    void listIsOrderedByActivityWithLastMessageAndUnreadCounts() {
        send("bob", "g1", "first in g1");
        send("bob", "g1", "second in g1");
        send("bob", "g3", "only in g3");

        JsonNode list = list("alice", "");
        assertThat(conversationIds("alice")).containsExactly("g3", "g1", "g2");
        JsonNode g1 = list.get("conversations").get(1);
        assertThat(g1.get("unread").asLong()).isEqualTo(2);
        assertThat(g1.get("lastMessage").get("text").asString()).isEqualTo("second in g1");
        assertThat(g1.get("name").asString()).isEqualTo("Group g1");
        assertThat(list.get("conversations").get(2).get("lastSeq").asLong()).isZero();
        assertThat(unread("bob", "g1")).as("a sender has read what they sent").isZero();

        assertThat(read("alice", "g1", 1).json().get("readSeq").asLong()).isEqualTo(1);
        assertThat(unread("alice", "g1")).isEqualTo(1);
        assertThat(read("alice", "g1", 99).json().get("readSeq").asLong()).as("clamped to the last seq").isEqualTo(2);
        assertThat(read("alice", "g1", 1).json().get("readSeq").asLong()).as("never backward").isEqualTo(2);
        assertThat(unread("alice", "g1")).isZero();

        String key = Topics.conversationKey(appId, "g1");
        List<ConsumerRecord<String, ChatMessageEvent>> records = TopicProbe.awaitRecord(Topics.CHAT_MESSAGES.name(),
                r -> key.equals(r.key()) && r.value().getType() == ChatEventType.READ && r.value().getSeq() == 2);
        List<String> reads = records.stream().filter(r -> key.equals(r.key()) && r.value().getType() == ChatEventType.READ)
                .map(r -> r.value().getActorId() + "@" + r.value().getSeq()).toList();
        assertThat(reads).as("one READ event per move forward").containsExactly("alice@1", "alice@2");
        assertThat(read("mallory", "g1", 1).status()).isEqualTo(404);
    }

    @Test
    void pinnedConversationsComeFirstAndCursorsWalkTheWholeList() {
        send("bob", "g1", "activity");
        send("bob", "g3", "more activity");
        TestHttp.Response pinned = http().send("PATCH", "/v1/me/conversations/g2", token("alice"), Map.of("pinned", true));
        assertThat(pinned.status()).isEqualTo(200);
        assertThat(pinned.json().get("pinned").asBoolean()).isTrue();
        http().send("PATCH", "/v1/me/conversations/g1", token("alice"), Map.of("muted", true));

        assertThat(conversationIds("alice")).containsExactly("g2", "g3", "g1");
        List<String> walked = new ArrayList<>();
        String cursor = "";
        do {
            JsonNode page = list("alice", "?limit=1" + (cursor.isEmpty() ? "" : "&cursor=" + cursor));
            page.get("conversations").forEach(c -> walked.add(c.get("conversationId").asString()));
            cursor = page.get("nextCursor").isNull() ? "" : page.get("nextCursor").asString();
        } while (!cursor.isEmpty());
        assertThat(walked).containsExactly("g2", "g3", "g1");
        assertThat(http().get("/v1/me/conversations/g1", token("alice")).json().get("muted").asBoolean()).isTrue();
        assertThat(http().get("/v1/me/conversations/g1", token("alice")).json().get("archived").asBoolean()).isFalse();
        TestMembership.publish(TestMembership.groupState(appId, "g1", 2, 3).setName("Group g1").setArchived(true).build());
        await().atMost(Duration.ofSeconds(10)).until(() ->
                http().get("/v1/me/conversations/g1", token("alice")).json().get("archived").asBoolean());

        http().send("PATCH", "/v1/me/conversations/g2", token("alice"), Map.of("pinned", false));
        assertThat(conversationIds("alice")).containsExactly("g3", "g1", "g2");
        assertThat(conversationIds("bob")).as("pins are per user").containsExactly("g3", "g1", "g2");
        assertThat(http().get("/v1/me/conversations?cursor=garbage!", token("alice")).status()).isEqualTo(400);
        assertThat(http().send("PATCH", "/v1/me/conversations/g1", token("mallory"), Map.of("pinned", true)).status())
                .isEqualTo(404);
    }

    @Test
    void receiptsSayWhoOfTheCurrentMembersHasReadUpToAMessage() {
        for (int i = 1; i <= 3; i++) {
            send("bob", "g1", "message " + i);
        }
        read("alice", "g1", 2);
        read("carol", "g1", 3);

        assertThat(readers("g1", 2)).containsExactly("alice", "bob", "carol");
        assertThat(readers("g1", 3)).containsExactly("bob", "carol");
        JsonNode receipts = http().get("/v1/conversations/g1/messages/3/receipts", token("bob")).json();
        assertThat(receipts.get("readCount").asLong()).isEqualTo(2);
        assertThat(receipts.get("memberCount").asLong()).isEqualTo(3);
        JsonNode firstPage = http().get("/v1/conversations/g1/messages/2/receipts?limit=2", token("bob")).json();
        assertThat(firstPage.get("nextAfterUserId").asString()).isEqualTo("bob");

        TestMembership.removed(appId, "g1", "carol");
        await().atMost(Duration.ofSeconds(10)).until(() -> readers("g1", 3).equals(List.of("bob")));
        JsonNode positions = http().get("/v1/conversations/g1/reads", bearer(tokens.appToken(appId, "messages:read"))).json();
        assertThat(positions.valueStream().map(p -> p.get("userId").asString() + "@" + p.get("readSeq").asLong()).toList())
                .containsExactly("alice@2", "bob@3");
    }

    @Test
    void aResumingClientGetsEveryChangeSinceItsLastChangeSeqInChangeOrder() {
        send("bob", "g1", "one");
        send("bob", "g1", "two");
        http().send("PATCH", "/v1/conversations/g1/messages/1", token("bob"), Map.of("type", "TEXT", "text", "one, edited"));

        Map<String, Object> known = new LinkedHashMap<>();
        known.put("g1", 1);
        known.put("g2", 0);
        known.put("gone", 5);
        JsonNode result = http().postJson("/v1/me/sync", token("alice"), Map.of("conversations", known)).json();

        Map<String, JsonNode> byId = new LinkedHashMap<>();
        result.get("conversations").forEach(c -> byId.put(c.get("conversation").get("conversationId").asString(), c));
        assertThat(byId.keySet()).as("g2 has no news; g3 is new to the client").containsExactlyInAnyOrder("g1", "g3");
        JsonNode g1 = byId.get("g1");
        assertThat(g1.get("changes").valueStream().map(m -> m.get("seq").asLong() + ":" + m.get("text").asString()).toList())
                .containsExactly("2:two", "1:one, edited");
        assertThat(g1.get("conversation").get("changeSeq").asLong()).isEqualTo(3);
        assertThat(byId.get("g3").get("known").asBoolean()).isFalse();
        assertThat(result.get("removed").valueStream().map(JsonNode::asString).toList()).containsExactly("gone");

        JsonNode limited = http().postJson("/v1/me/sync", token("alice"), Map.of("conversations", Map.of("g1", 0), "limit", 1))
                .json().get("conversations").get(0);
        assertThat(limited.get("changes")).as("each message once, at its latest change").hasSize(1);
        assertThat(limited.get("hasMore").asBoolean()).isTrue();

        JsonNode changes = http().get("/v1/conversations/g1/changes?afterChangeSeq=1&limit=1", token("alice")).json();
        assertThat(changes.get("changes").valueStream().map(m -> m.get("changeSeq").asLong() + ":" + m.get("text").asString())
                .toList()).containsExactly("2:two");
        assertThat(changes.get("hasMore").asBoolean()).isTrue();
        JsonNode rest = http().get("/v1/conversations/g1/changes?afterChangeSeq=2", token("alice")).json();
        assertThat(rest.get("changes").valueStream().map(m -> m.get("changeSeq").asLong() + ":" + m.get("text").asString())
                .toList()).containsExactly("3:one, edited");
        assertThat(rest.get("hasMore").asBoolean()).isFalse();
        assertThat(http().get("/v1/conversations/g1/changes", token("mallory")).status())
                .as("not a member").isEqualTo(404);
    }

    @Test
    void aSyncOfTenThousandConversationsWithTheLongestIdsIsAnsweredWhileOtherBodiesKeepTheirLimit() {
        send("bob", "g1", "one");
        Map<String, Object> known = new LinkedHashMap<>();
        known.put("g1", 0);
        for (int i = 1; known.size() < 10_000; i++) {
            known.put(String.format("gone-%0123d", i), 1_000_000_000L + i);   // 128 characters, the longest id allowed
        }

        TestHttp.Response synced = http().postJson("/v1/me/sync", token("alice"), Map.of("conversations", known));

        assertThat(synced.status()).as("~1.4 MB, over the 256 KB of other bodies").isEqualTo(200);
        assertThat(synced.json().get("removed")).hasSize(9_999);
        TestHttp.Response tooLarge = http().postJson("/v1/conversations/g1/messages", token("bob"),
                Map.of("type", "TEXT", "text", "x".repeat(300_000)));
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.json().get("code").asString()).isEqualTo("payload-too-large");
    }

    private void send(String userId, String conversationId, String text) {
        TestHttp.Response sent = http().postJson("/v1/conversations/" + conversationId + "/messages", token(userId),
                Map.of("type", "TEXT", "text", text), Map.of("Idempotency-Key", UUID.randomUUID().toString()));
        assertThat(sent.status()).as(sent.body()).isEqualTo(201);
    }

    private TestHttp.Response read(String userId, String conversationId, long seq) {
        return http().postJson("/v1/conversations/" + conversationId + "/read", token(userId), Map.of("seq", seq));
    }

    private JsonNode list(String userId, String query) {
        TestHttp.Response response = http().get("/v1/me/conversations" + query, token(userId));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private List<String> conversationIds(String userId) {
        return list(userId, "").get("conversations").valueStream().map(c -> c.get("conversationId").asString()).toList();
    }

    private long unread(String userId, String conversationId) {
        return http().get("/v1/me/conversations/" + conversationId, token(userId)).json().get("unread").asLong();
    }

    private List<String> readers(String conversationId, long seq) {
        return http().get("/v1/conversations/" + conversationId + "/messages/" + seq + "/receipts", token("bob")).json()
                .get("readers").valueStream().map(r -> r.get("userId").asString()).toList();
    }

    private String token(String userId) {
        return bearer(tokens.userToken(appId, userId, "messages:read", "messages:write"));
    }
}
