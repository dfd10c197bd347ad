package io.switchboard.message;

import io.switchboard.events.chat.ChatEventType;
import io.switchboard.events.chat.ChatMessageEvent;
import io.switchboard.events.membership.MemberRole;
import io.switchboard.events.membership.PostingPolicy;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static io.switchboard.platform.testing.TestHttp.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Sending over HTTP: content, idempotency, gapless seq under concurrency, and the posting rules. */
class SendingKafkaPostgresTests extends ServiceIntegrationTest {

    private static final String TEAM = "team";

    @BeforeEach
    void appAndTeamExist() {
        TestApps.active(appId);
        TestMembership.group(appId, TEAM, "Team", List.of("olivia", "alice", "bob"));
        awaitVisible(TEAM, "bob");
    }

    @Test
    void memberSendsTextThatIsStoredAndPublished() {
        TestHttp.Response sent = send("alice", TEAM, "k1", Map.of("type", "TEXT", "text", "hello team"));

        assertThat(sent.status()).isEqualTo(201);
        assertThat(sent.json().get("seq").asLong()).isEqualTo(1);
        assertThat(sent.json().get("senderId").asString()).isEqualTo("alice");
        assertThat(sent.json().get("senderType").asString()).isEqualTo("USER");
        ChatMessageEvent published = awaitPublished(TEAM, 1);
        assertThat(published.getType()).isEqualTo(ChatEventType.MESSAGE_CREATED);
        assertThat(published.getChangeSeq()).isEqualTo(1);
        assertThat(published.getMessage().getMessageId()).isEqualTo(sent.text("messageId"));
        assertThat(published.getMessage().getText()).isEqualTo("hello team");
        assertThat(history("bob", TEAM, "").get("messages").get(0).get("text").asString()).isEqualTo("hello team");
    }

    @Test
    void anIdempotencyKeyReplaysTheFirstMessageAndNeverSendsASecond() {
        Map<String, Object> body = Map.of("type", "TEXT", "text", "only once");
        TestHttp.Response first = send("alice", TEAM, "retry-me", body);
        TestHttp.Response again = send("alice", TEAM, "retry-me", body);

        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.text("messageId")).isEqualTo(first.text("messageId"));
        assertThat(again.json().get("seq").asLong()).isEqualTo(first.json().get("seq").asLong());
        assertThat(history("alice", TEAM, "").get("messages")).hasSize(1);

        TestHttp.Response reused = send("alice", TEAM, "retry-me", Map.of("type", "TEXT", "text", "something else"));
        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.text("code")).isEqualTo("idempotency-key-reused");
        TestHttp.Response otherCaller = send("bob", TEAM, "retry-me", body);
        assertThat(otherCaller.status()).as("keys are per caller").isEqualTo(201);

        TestHttp.Response missing = http().postJson(messagesPath(TEAM), userToken("alice"), body);
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.text("code")).isEqualTo("idempotency-key-missing");
    }

    @Test
    void racingRequestsWithOneKeyStoreOneMessage() throws Exception {
        Map<String, Object> body = Map.of("type", "TEXT", "text", "double click");
        List<TestHttp.Response> responses = parallel(10, i -> send("alice", TEAM, "double-click", body));

        assertThat(responses).extracting(TestHttp.Response::status).containsOnly(200, 201).containsOnlyOnce(201);
        assertThat(responses).extracting(r -> r.text("messageId")).containsOnly(responses.getFirst().text("messageId"));
        assertThat(history("alice", TEAM, "").get("messages")).hasSize(1);
    }

    @Test
    void twentyConcurrentSendersGetGaplessSeqsPublishedInSeqOrder() throws Exception {
        List<String> senders = IntStream.range(0, 20).mapToObj(i -> "sender-" + i).toList();
        TestMembership.group(appId, "busy", "Busy", senders);
        awaitVisible("busy", senders.getLast());
        int perSender = 10;

        List<TestHttp.Response> responses = parallel(senders.size(), i -> {
            TestHttp.Response last = null;
            for (int n = 0; n < perSender; n++) {
                last = send(senders.get(i), "busy", "k" + n, Map.of("type", "TEXT", "text", senders.get(i) + " #" + n));
                assertThat(last.status()).isEqualTo(201);
            }
            return last;
        });

        int total = senders.size() * perSender;
        assertThat(responses).hasSize(senders.size());
        List<Long> stored = new ArrayList<>();
        JsonNode page = history("sender-0", "busy", "&limit=200");
        page.get("messages").forEach(m -> stored.add(m.get("seq").asLong()));
        assertThat(stored).containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());

        String key = Topics.conversationKey(appId, "busy");
        List<ConsumerRecord<String, ChatMessageEvent>> records = TopicProbe.awaitRecord(Topics.CHAT_MESSAGES.name(),
                r -> key.equals(r.key()) && r.value().getSeq() == total);
        List<Long> published = records.stream().filter(r -> key.equals(r.key()))
                .map(r -> r.value().getSeq()).distinct().toList();
        assertThat(published).containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
    }

    @Test
    void postingIsRefusedForNonMembersMutedMembersAndWhenOnlyAdminsMayPost() {
        Map<String, Object> body = Map.of("type", "TEXT", "text", "may I?");
        assertRefused(send("mallory", TEAM, "m1", body), 403, "not-a-member");
        assertRefused(send("alice", "no-such-conversation", "m2", body), 404, "conversation-not-found");

        TestMembership.publish(TestMembership.memberRecord(appId, TEAM, "bob", MemberRole.MEMBER, 2)
                .setMutedUntil(Instant.now().plus(Duration.ofHours(1))).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> send("bob", TEAM, "b" + System.nanoTime(), body).status() == 403);
        assertRefused(send("bob", TEAM, "b1", body), 403, "member-muted");

        TestMembership.publish(TestMembership.groupState(appId, TEAM, 3, 3).setPostingPolicy(PostingPolicy.ADMINS).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> send("alice", TEAM, "a" + System.nanoTime(), body).status() == 403);
        assertRefused(send("alice", TEAM, "a1", body), 403, "posting-admins-only");
        assertThat(send("olivia", TEAM, "o1", body).status()).as("the owner still posts").isEqualTo(201);

        TestMembership.publish(TestMembership.groupState(appId, TEAM, 4, 3).setMutedAll(true).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> send("alice", TEAM, "a" + System.nanoTime(), body).status() == 403);
        assertRefused(send("alice", TEAM, "a2", body), 403, "conversation-muted");
        TestMembership.publish(TestMembership.memberRecord(appId, TEAM, "alice", MemberRole.MEMBER, 5)
                .setMutedAllExempt(true).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> send("alice", TEAM, "a3", body).status() == 201);

        TestMembership.publish(TestMembership.groupState(appId, TEAM, 6, 3).setArchived(true).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> send("olivia", TEAM, "o" + System.nanoTime(), body).status() == 409);
        assertRefused(send("olivia", TEAM, "o2", body), 409, "conversation-archived");
        assertRefused(http().postJson(messagesPath(TEAM), bearer(tokens.appToken(appId, "messages:write")), body,
                Map.of("Idempotency-Key", "app-1")), 409, "conversation-archived");

        List<Long> seqs = history("olivia", TEAM, "").get("messages").valueStream().map(m -> m.get("seq").asLong()).toList();
        assertThat(seqs).as("refused posts leave no gap").containsExactly(1L, 2L);
    }

    @Test
    void cardsAndCustomMessagesAreValidatedAndPublishedWithTheirStructure() {
        Map<String, Object> card = Map.of("title", "Deal won: ACME", "fields", List.of(Map.of("label", "Amount", "value", "EUR 12,000")),
                "actions", List.of(Map.of("id", "open", "label", "Open", "url", "https://crm.example/deals/1"),
                        Map.of("id", "ack", "label", "Acknowledge", "callbackId", "ack-1")));
        TestHttp.Response sent = send("alice", TEAM, "card", Map.of("type", "CARD", "card", card));
        assertThat(sent.status()).isEqualTo(201);
        assertThat(sent.text("text")).as("a card's text fallback is its title").isEqualTo("Deal won: ACME");
        var published = awaitPublished(TEAM, 1).getMessage();
        assertThat(published.getCard().getActions()).extracting(a -> a.getCallbackId()).containsExactly(null, "ack-1");

        TestHttp.Response custom = send("alice", TEAM, "poll", Map.of("type", "CUSTOM",
                "custom", Map.of("type", "poll", "payload", Map.of("question", "Lunch?", "options", List.of("yes", "no")))));
        assertThat(custom.status()).isEqualTo(201);
        assertThat(custom.json().get("custom").get("payload").get("options").get(1).asString()).isEqualTo("no");
        assertThat(awaitPublished(TEAM, 2).getMessage().getCustom().getPayload()).contains("\"question\":\"Lunch?\"");

        assertRefused(send("alice", TEAM, "bad-1", Map.of("type", "CARD", "card", Map.of("title", "x",
                "actions", List.of(Map.of("id", "both", "label", "Both", "url", "https://a.example", "callbackId", "c"))))),
                400, "validation-failed");
        assertRefused(send("alice", TEAM, "bad-2", Map.of("type", "CARD", "card", Map.of("title", "x",
                "actions", List.of(Map.of("id", "js", "label", "Run", "url", "javascript:alert(1)"))))), 400, "validation-failed");
        assertRefused(send("alice", TEAM, "bad-3", Map.of("type", "TEXT", "text", " ")), 400, "validation-failed");
        assertRefused(send("alice", TEAM, "bad-4", Map.of("type", "TEXT", "text", "x".repeat(5001))), 413, "message-too-large");
        assertRefused(send("alice", TEAM, "bad-5", Map.of("type", "CUSTOM",
                "custom", Map.of("type", "blob", "payload", Map.of("data", "x".repeat(17_000))))), 413, "message-too-large");
        assertRefused(send("alice", TEAM, "bad-6", Map.of("type", "SMOKE_SIGNAL", "text", "x")), 400, "malformed-request");
        assertRefused(send("alice", TEAM, "bad-7", Map.of("type", "TEXT", "text", "hi @mallory", "mentions", List.of("mallory"))),
                422, "mention-not-member");
        assertRefused(send("alice", TEAM, "bad-8", Map.of("type", "TEXT", "text", "hi @all", "mentionAll", true)),
                403, "role-not-allowed");
        assertThat(send("olivia", TEAM, "all", Map.of("type", "TEXT", "text", "hi @all", "mentionAll", true,
                "mentions", List.of("bob"))).status()).isEqualTo(201);
    }

    @Test
    void repliesFormThreadsAndHistoryPagesBothWaysAndAroundASeq() {
        for (int i = 1; i <= 9; i++) {
            send("alice", TEAM, "n" + i, Map.of("type", "TEXT", "text", "message " + i));
        }
        send("bob", TEAM, "r1", Map.of("type", "TEXT", "text", "reply to 2", "replyTo", 2));
        TestHttp.Response nested = send("alice", TEAM, "r2", Map.of("type", "TEXT", "text", "reply to the reply", "replyTo", 10));
        assertThat(nested.json().get("threadRootSeq").asLong()).isEqualTo(2);
        assertRefused(send("alice", TEAM, "r3", Map.of("type", "TEXT", "text", "reply to nothing", "replyTo", 99)),
                404, "message-not-found");

        JsonNode thread = http().get(messagesPath(TEAM) + "/10/thread", userToken("bob")).json();
        assertThat(thread.get("root").get("seq").asLong()).isEqualTo(2);
        assertThat(thread.get("replies").valueStream().map(m -> m.get("seq").asLong()).toList()).containsExactly(10L, 11L);

        JsonNode latest = history("bob", TEAM, "?beforeSeq=12&limit=4");
        assertThat(seqs(latest)).containsExactly(8L, 9L, 10L, 11L);
        assertThat(latest.get("nextBeforeSeq").asLong()).isEqualTo(8);
        assertThat(seqs(history("bob", TEAM, "?beforeSeq=8&limit=4"))).containsExactly(4L, 5L, 6L, 7L);
        assertThat(seqs(history("bob", TEAM, "?aroundSeq=5&limit=4"))).containsExactly(3L, 4L, 5L, 6L);
        JsonNode forward = history("bob", TEAM, "?afterSeq=9&limit=5");
        assertThat(seqs(forward)).containsExactly(10L, 11L);
        assertThat(forward.get("nextAfterSeq").isNull()).isTrue();
        assertRefused(http().get(messagesPath(TEAM) + "?afterSeq=1&beforeSeq=5", userToken("bob")), 400, "validation-failed");
        assertThat(http().get(messagesPath(TEAM) + "/5", userToken("bob")).text("text")).isEqualTo("message 5");
        assertRefused(http().get(messagesPath(TEAM) + "/500", userToken("bob")), 404, "message-not-found");
    }

    @Test
    void aBatchStoresEachMessageWithItsOwnOutcomeInOneTransaction() {
        TestMembership.group(appId, "side", "Side", List.of("alice"));
        awaitVisible("side", "alice");
        assertThat(send("alice", TEAM, "earlier", Map.of("type", "TEXT", "text", "sent before")).status()).isEqualTo(201);
        Map<String, Object> text = Map.of("type", "TEXT", "text", "batched");
        List<Map<String, Object>> items = List.of(
                Map.of("conversationId", TEAM, "idempotencyKey", "b1", "message", text),
                Map.of("conversationId", "side", "idempotencyKey", "b2", "message", text),
                Map.of("conversationId", TEAM, "idempotencyKey", "b3", "message", text),
                Map.of("conversationId", "elsewhere", "idempotencyKey", "b4", "message", text),
                Map.of("conversationId", TEAM, "idempotencyKey", "earlier", "message", Map.of("type", "TEXT", "text", "sent before")),
                Map.of("conversationId", TEAM, "idempotencyKey", "b1", "message", text),
                Map.of("conversationId", TEAM, "idempotencyKey", "b1", "message", Map.of("type", "TEXT", "text", "other")));

        TestHttp.Response batch = http().postJson("/v1/messages/batch", userToken("alice"), Map.of("messages", items));

        assertThat(batch.status()).as(batch.body()).isEqualTo(200);
        JsonNode results = batch.json().get("results");
        assertThat(results.valueStream().map(r -> r.get("status").asInt()).toList()).containsExactly(201, 201, 201, 404, 200, 200, 422);
        assertThat(results.get(0).get("message").get("seq").asLong()).isEqualTo(2);
        assertThat(results.get(2).get("message").get("seq").asLong()).isEqualTo(3);
        assertThat(results.get(1).get("message").get("seq").asLong()).isEqualTo(1);
        assertThat(results.get(3).get("problem").get("code").asString()).isEqualTo("conversation-not-found");
        assertThat(results.get(4).get("message").get("seq").asLong()).as("a replayed key").isEqualTo(1);
        assertThat(results.get(5).get("message").get("seq").asLong()).as("a key repeated in the batch").isEqualTo(2);
        assertThat(results.get(6).get("problem").get("code").asString()).isEqualTo("idempotency-key-reused");
        assertThat(awaitPublished(TEAM, 3).getMessage().getText()).isEqualTo("batched");
        assertThat(history("bob", TEAM, "").get("messages")).hasSize(3);

        TestHttp.Response tooMany = http().postJson("/v1/messages/batch", userToken("alice"), Map.of("messages",
                IntStream.range(0, 101).mapToObj(i -> Map.of("conversationId", TEAM, "idempotencyKey", "x" + i,
                        "message", text)).toList()));
        assertThat(tooMany.status()).isEqualTo(400);
    }

    @Test
    void anAppSendsAsItself() {
        TestHttp.Response sent = http().postJson(messagesPath(TEAM), bearer(tokens.appToken(appId, "messages:write")),
                Map.of("type", "TEXT", "text", "Maintenance tonight"), Map.of("Idempotency-Key", "maintenance"));
        assertThat(sent.status()).isEqualTo(201);
        assertThat(sent.text("senderType")).isEqualTo("APP");
        assertThat(sent.text("senderId")).isEqualTo(appId);
    }

    private TestHttp.Response send(String userId, String conversationId, String key, Object body) {
        return http().postJson(messagesPath(conversationId), userToken(userId), body, Map.of("Idempotency-Key", key));
    }

    private JsonNode history(String userId, String conversationId, String query) {
        String q = query.startsWith("&") ? "?" + query.substring(1) : query;
        TestHttp.Response response = http().get(messagesPath(conversationId) + q, userToken(userId));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private void awaitVisible(String conversationId, String userId) {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> http().get(messagesPath(conversationId), userToken(userId)).status() == 200);
    }

    private String userToken(String userId) {
        return bearer(tokens.userToken(appId, userId, "messages:read", "messages:write"));
    }

    private static String messagesPath(String conversationId) {
        return "/v1/conversations/" + conversationId + "/messages";
    }

    private static List<Long> seqs(JsonNode page) {
        return page.get("messages").valueStream().map(m -> m.get("seq").asLong()).toList();
    }

    private static void assertRefused(TestHttp.Response response, int status, String code) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.text("code")).isEqualTo(code);
    }

    private ChatMessageEvent awaitPublished(String conversationId, long seq) {
        String key = Topics.conversationKey(appId, conversationId);
        List<ConsumerRecord<String, ChatMessageEvent>> records = TopicProbe.awaitRecord(Topics.CHAT_MESSAGES.name(),
                r -> key.equals(r.key()) && r.value().getSeq() == seq);
        return records.stream().filter(r -> key.equals(r.key()) && r.value().getSeq() == seq)
                .findFirst().orElseThrow().value();
    }

    private interface Indexed<T> {
        T call(int index) throws Exception;
    }

    private static <T> List<T> parallel(int threads, Indexed<T> task) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int index = i;
                futures.add(pool.submit((Callable<T>) () -> task.call(index)));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        }
    }
}
