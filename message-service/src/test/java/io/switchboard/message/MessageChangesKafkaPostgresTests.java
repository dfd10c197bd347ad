package io.switchboard.message;

import io.switchboard.events.chat.ChatEventType;
import io.switchboard.events.chat.ChatMessageEvent;
import io.switchboard.events.membership.MemberChange;
import io.switchboard.events.membership.MemberRole;
import io.switchboard.platform.testing.ServiceIntegrationTest;
import io.switchboard.platform.testing.TestApps;
import io.switchboard.platform.testing.TestHttp;
import io.switchboard.platform.testing.TestMembership;
import io.switchboard.platform.testing.TopicProbe;
import io.switchboard.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static io.switchboard.platform.testing.TestHttp.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Edit with versions, recall, delete for everyone and for me: each a change published in order. */
class MessageChangesKafkaPostgresTests extends ServiceIntegrationTest {

    private static final String TEAM = "team";

    @Autowired
    JdbcClient jdbc;

    @BeforeEach
    void appAndTeamExist() {
        TestApps.active(appId);
        TestMembership.group(appId, TEAM, "Team", List.of("olivia", "alice", "bob"));
        await().atMost(Duration.ofSeconds(10)).until(() -> http().get(path(""), token("bob")).status() == 200);
    }

    @Test
    void theSenderEditsAndEarlierVersionsAreKept() {
        send("alice", "helo wrld");

        TestHttp.Response edited = edit("alice", 1, "hello world", null);
        assertThat(edited.status()).isEqualTo(200);
        assertThat(edited.json().get("version").asInt()).isEqualTo(2);
        assertThat(edited.text("status")).isEqualTo("EDITED");
        ChatMessageEvent event = awaitEvent(e -> e.getType() == ChatEventType.MESSAGE_EDITED);
        assertThat(event.getMessage().getText()).isEqualTo("hello world");
        assertThat(event.getMessage().getVersion()).isEqualTo(2);
        assertThat(event.getChangeSeq()).isEqualTo(2);
        assertThat(event.getActorId()).isEqualTo("alice");

        JsonNode versions = http().get(path("/1/versions"), token("bob")).json();
        assertThat(versions.valueStream().map(v -> v.get("version").asInt() + ":" + v.get("text").asString()).toList())
                .containsExactly("2:hello world", "1:helo wrld");

        assertThat(edit("alice", 1, "hello world", null).json().get("version").asInt())
                .as("repeating an edit changes nothing").isEqualTo(2);
        assertRefused(edit("alice", 1, "hello, world", "\"1\""), 412, "version-mismatch");
        assertThat(edit("alice", 1, "hello, world", "\"2\"").json().get("version").asInt()).isEqualTo(3);
        assertRefused(edit("bob", 1, "bob was here", null), 403, "not-message-sender");
        assertRefused(http().send("PATCH", path("/1"), token("alice"), Map.of("type", "CUSTOM",
                "custom", Map.of("type", "x", "payload", Map.of()))), 400, "validation-failed");
        assertRefused(edit("alice", 42, "nothing there", null), 404, "message-not-found");
        assertThat(send("alice", "next").json().get("changeSeq").asLong())
                .as("one change seq per effective change: create, edit, edit, create").isEqualTo(4);
    }

    @Test
    void theSenderRecallsWithinTheWindowAndModeratorsAtAnyTime() {
        send("alice", "oops, wrong chat");
        edit("alice", 1, "oops, wrong chat!", null);

        TestHttp.Response recalled = http().send("POST", path("/1/recall"), token("alice"), null);
        assertThat(recalled.status()).isEqualTo(200);
        assertThat(recalled.text("status")).isEqualTo("RECALLED");
        assertThat(recalled.text("text")).isEmpty();
        ChatMessageEvent event = awaitEvent(e -> e.getType() == ChatEventType.MESSAGE_RECALLED);
        assertThat(event.getMessage().getText()).isEmpty();
        assertThat(event.getMessage().getVersion()).isEqualTo(3);
        assertThat(http().get(path("/1/versions"), token("bob")).json()).as("earlier versions are erased").hasSize(1);
        assertThat(http().get(path(""), token("bob")).json().get("messages").get(0).get("status").asString())
                .isEqualTo("RECALLED");
        assertThat(http().send("POST", path("/1/recall"), token("alice"), null).json().get("version").asInt())
                .as("recalling again changes nothing").isEqualTo(3);
        assertRefused(edit("alice", 1, "back again", null), 409, "message-not-changeable");

        send("bob", "an old message");
        jdbc.sql("UPDATE messages SET created_at = created_at - INTERVAL '1 hour' WHERE app_id = ? AND seq = 2")
                .param(appId).update();
        assertRefused(http().send("POST", path("/2/recall"), token("alice"), null), 403, "not-message-sender");
        assertRefused(http().send("POST", path("/2/recall"), token("bob"), null), 409, "recall-window-passed");
        assertThat(http().send("POST", path("/2/recall"), token("olivia"), null).status())
                .as("the owner recalls at any time").isEqualTo(200);
    }

    @Test
    void deletingForEveryoneErasesAndDeletingForMeHidesFromMeOnly() {
        send("alice", "one");
        send("alice", "two");
        send("bob", "three");

        assertRefused(http().delete(path("/3") + "?for=everyone", token("alice")), 403, "not-message-sender");
        TestHttp.Response deleted = http().delete(path("/1") + "?for=everyone", token("alice"));
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.text("status")).isEqualTo("DELETED");
        assertThat(http().delete(path("/3") + "?for=everyone", bearer(tokens.appToken(appId, "messages:write")))
                .text("status")).as("the app moderates").isEqualTo("DELETED");
        awaitEvent(e -> e.getType() == ChatEventType.MESSAGE_DELETED && e.getSeq() == 3);

        assertThat(http().delete(path("/2"), token("bob")).status()).isEqualTo(204);
        assertThat(http().delete(path("/2") + "?for=me", token("bob")).status()).isEqualTo(204);
        ChatMessageEvent hidden = awaitEvent(e -> e.getType() == ChatEventType.MESSAGE_HIDDEN);
        assertThat(hidden.getActorId()).isEqualTo("bob");
        assertThat(hidden.getSeq()).isEqualTo(2);
        assertThat(hidden.getMessage()).isNull();
        assertThat(seqs("bob")).containsExactly(1L, 3L);
        assertThat(seqs("alice")).containsExactly(1L, 2L, 3L);
        assertRefused(http().delete(path("/2") + "?for=nobody", token("bob")), 400, "validation-failed");
        assertRefused(http().delete(path("/2"), token("mallory")), 404, "conversation-not-found");
    }

    @Test
    void aMutedMemberOrAnyoneInAnArchivedConversationCannotRewriteEarlierMessages() {
        send("alice", "before the mute");
        send("bob", "before the archive");

        TestMembership.publish(TestMembership.memberRecord(appId, TEAM, "alice", MemberRole.MEMBER, 2)
                .setMutedUntil(Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MILLIS))
                .setChange(MemberChange.MUTED).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> edit("alice", 1, "rewritten while muted", null).status() == 403);
        assertRefused(edit("alice", 1, "rewritten while muted", null), 403, "member-muted");

        TestMembership.publish(TestMembership.groupState(appId, TEAM, 3, 3).setName("Team").setArchived(true).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> edit("bob", 2, "rewritten when archived", null).status() == 409);
        assertRefused(edit("bob", 2, "rewritten when archived", null), 409, "conversation-archived");
        assertThat(http().get(path(""), token("bob")).json().get("messages").valueStream()
                .map(m -> m.get("text").asString())).containsExactly("before the mute", "before the archive");
    }

    private TestHttp.Response send(String userId, String text) {
        TestHttp.Response sent = http().postJson(path(""), token(userId), Map.of("type", "TEXT", "text", text),
                Map.of("Idempotency-Key", "k" + Integer.toHexString(text.hashCode())));
        assertThat(sent.status()).isEqualTo(201);
        return sent;
    }

    private TestHttp.Response edit(String userId, long seq, String text, String ifMatch) {
        return http().send("PATCH", path("/" + seq), token(userId), Map.of("type", "TEXT", "text", text),
                ifMatch == null ? Map.of() : Map.of("If-Match", ifMatch));
    }

    private List<Long> seqs(String userId) {
        return http().get(path(""), token(userId)).json().get("messages").valueStream()
                .map(m -> m.get("seq").asLong()).toList();
    }

    private ChatMessageEvent awaitEvent(Predicate<ChatMessageEvent> match) {
        String key = Topics.conversationKey(appId, TEAM);
        List<ConsumerRecord<String, ChatMessageEvent>> records = TopicProbe.awaitRecord(Topics.CHAT_MESSAGES.name(),
                r -> key.equals(r.key()) && match.test(r.value()));
        return records.stream().filter(r -> key.equals(r.key()) && match.test(r.value())).findFirst().orElseThrow().value();
    }

    private String token(String userId) {
        return bearer(tokens.userToken(appId, userId, "messages:read", "messages:write"));
    }

    private static String path(String rest) {
        return "/v1/conversations/" + TEAM + "/messages" + rest;
    }

    private static void assertRefused(TestHttp.Response response, int status, String code) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.text("code")).isEqualTo(code);
    }
}
