package io.switchboard.e2e;

import io.switchboard.client.PushConnection;
import io.switchboard.client.SwitchboardClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Resume over the real stack: a client that was away reconnects with its last change seq and gets
 * what it missed from message-service's history, in change order, then live frames, with nothing
 * twice and nothing missing, while messages keep being sent during the switch.
 */
@ExtendWith(EndToEndStack.Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PushResumeEndToEndTests {

    private static final String CONVERSATION = DealWonScenario.CONVERSATION;
    private static final Duration TIMEOUT = DealWonScenario.TIMEOUT;

    private SwitchboardClient client;

    @BeforeAll
    void useTheStack(EndToEndStack e2e) {
        client = e2e.client();
    }

    @Test
    void aReconnectingClientGetsWhatItMissedInChangeOrderThenLiveFramesWithoutGapOrDuplicate() throws Exception {
        try (DealWonScenario scenario = DealWonScenario.setUp(client, EndToEndStack.ADMIN_PASSWORD, List.of("ann", "ben"))) {
            String ann = scenario.userToken("ann");
            for (int i = 1; i <= 3; i++) {
                send(ann, "before " + i);
                scenario.connection("ben").next("message.created", TIMEOUT);
            }
            scenario.connection("ben").close();

            for (int i = 4; i <= 8; i++) {
                send(ann, "while away " + i);
            }
            assertThat(client.editText(ann, CONVERSATION, 2, "before 2, edited").status()).isEqualTo(200);
            assertThat(client.recall(ann, CONVERSATION, 5).status()).isEqualTo(200);

            try (PushConnection ben = PushConnection.open(resumeUrl(), scenario.userToken("ben"), TIMEOUT)) {
                // messages keep coming while the resume is answered: they must neither overtake it nor repeat it
                CompletableFuture<Void> duringResume = CompletableFuture.runAsync(() -> {
                    for (int i = 9; i <= 20; i++) {
                        send(ann, "during resume " + i);
                    }
                });
                ben.send(Map.of("type", "resume", "conversations", Map.of(CONVERSATION, 3)));
                duringResume.get();
                long lastChangeSeq = history(ann).valueStream().mapToLong(m -> m.get("changeSeq").asLong()).max().orElseThrow();

                List<JsonNode> frames = new ArrayList<>();
                Map<Long, JsonNode> messages = new TreeMap<>();
                long seen = 3;
                boolean resumed = false;
                while (seen < lastChangeSeq) {
                    JsonNode frame = ben.next(TIMEOUT).json();
                    frames.add(frame);
                    String type = frame.get("type").asString();
                    if (type.equals("resume.done")) {
                        resumed = true;
                    } else if (type.startsWith("message.")) {
                        long changeSeq = frame.get("changeSeq").asLong();
                        assertThat(changeSeq).as("change order, no duplicate: %s", frames).isGreaterThan(seen);
                        assertThat(frame.path("replayed").asBoolean()).as("replayed before resume.done, live after")
                                .isEqualTo(!resumed);
                        seen = changeSeq;
                        messages.put(frame.get("seq").asLong(), frame);
                    }
                }
                assertThat(frames.getFirst().get("type").asString()).isEqualTo("conversation.synced");
                assertThat(frames.getFirst().get("known").asBoolean()).isTrue();
                assertThat(resumed).isTrue();

                // what ben now has of everything after seq 3 is what message-service stores: no gap
                for (JsonNode stored : history(ann)) {
                    long seq = stored.get("seq").asLong();
                    if (seq == 2 || seq > 3) {
                        JsonNode got = messages.get(seq);
                        assertThat(got).as("seq %d reached ben", seq).isNotNull();
                        assertThat(got.get("status").asString()).isEqualTo(stored.get("status").asString());
                        assertThat(got.path("text").asString("")).isEqualTo(stored.path("text").asString(""));
                    }
                }
                assertThat(messages.get(2L).get("type").asString()).isEqualTo("message.edited");
                assertThat(messages.get(5L).get("type").asString()).isEqualTo("message.recalled");
                assertThat(messages.get(20L).get("text").asString()).isEqualTo("during resume 20");
            }
        }
    }

    @Test
    void aClientThatSeesAGapFetchesTheMissingChanges() throws Exception {
        try (DealWonScenario scenario = DealWonScenario.setUp(client, EndToEndStack.ADMIN_PASSWORD, List.of("cat", "dan"))) {
            String cat = scenario.userToken("cat");
            for (int i = 1; i <= 5; i++) {
                send(cat, "message " + i);
                scenario.connection("dan").next("message.created", TIMEOUT);
            }
            PushConnection dan = scenario.connection("dan");
            dan.send(Map.of("type", "fetch", "conversationId", CONVERSATION, "afterChangeSeq", 2));
            List<Long> fetched = new ArrayList<>();
            JsonNode frame;
            while (!(frame = dan.next(TIMEOUT).json()).get("type").asString().equals("fetch.done")) {
                assertThat(frame.get("replayed").asBoolean()).isTrue();
                fetched.add(frame.get("changeSeq").asLong());
            }
            assertThat(fetched).containsExactly(3L, 4L, 5L);
            assertThat(frame.get("changeSeq").asLong()).isEqualTo(5);
            assertThat(frame.get("hasMore").asBoolean()).isFalse();

            dan.send(Map.of("type", "fetch", "conversationId", "not-dans", "afterChangeSeq", 0));
            assertThat(dan.next("error", TIMEOUT).json().get("code").asString()).isEqualTo("fetch-not-found");
            dan.send(Map.of("type", "resume", "conversations", List.of(1, 2)));
            assertThat(dan.next("error", TIMEOUT).json().get("code").asString()).isEqualTo("invalid-resume");

            send(cat, "after the fetch");
            JsonNode live = dan.next("message.created", TIMEOUT).json();
            assertThat(live.get("changeSeq").asLong()).as("the fetch replayed nothing twice").isEqualTo(6);
        }
    }

    @Test
    void aTokenThatMayNotReadHistoryIsToldSoAndLiveFramesStillFlow() throws Exception {
        try (DealWonScenario scenario = DealWonScenario.setUp(client, EndToEndStack.ADMIN_PASSWORD, List.of("eve"))) {
            String pushOnly = client.userToken(scenario.appToken(), "eve", List.of("push:connect"));
            try (PushConnection eve = PushConnection.open(resumeUrl(), pushOnly, TIMEOUT)) {
                eve.send(Map.of("type", "resume", "conversations", Map.of()));
                assertThat(eve.next("error", TIMEOUT).json().get("code").asString()).isEqualTo("resume-not-allowed");
                send(scenario.userToken("eve"), "still pushed");
                assertThat(eve.next("message.created", TIMEOUT).json().get("text").asString()).isEqualTo("still pushed");
            }
        }
    }

    @Test
    void aFreshClientLearnsItsConversationsWithUnreadCounts() throws Exception {
        try (DealWonScenario scenario = DealWonScenario.setUp(client, EndToEndStack.ADMIN_PASSWORD, List.of("fay", "gus"))) {
            send(scenario.userToken("gus"), "hello fay");
            send(scenario.userToken("gus"), "are you there?");
            scenario.connection("fay").next("message.created", TIMEOUT);
            try (PushConnection fay = PushConnection.open(resumeUrl(), scenario.userToken("fay"), TIMEOUT)) {
                fay.send(Map.of("type", "resume", "conversations", Map.of()));
                JsonNode synced = fay.next("conversation.synced", TIMEOUT).json();
                assertThat(synced.get("conversationId").asString()).isEqualTo(CONVERSATION);
                assertThat(synced.get("known").asBoolean()).isFalse();
                assertThat(synced.get("unread").asLong()).isEqualTo(2);
                assertThat(synced.get("conversationType").asString()).isEqualTo("GROUP");
                JsonNode done = fay.next("resume.done", TIMEOUT).json();
                assertThat(done.get("conversations").get(CONVERSATION).asLong()).isEqualTo(2);
            }
        }
    }

    @Test
    void aResumeOfTenThousandConversationsWithTheLongestIdsIsTakenAndAnswered() throws Exception {
        try (DealWonScenario scenario = DealWonScenario.setUp(client, EndToEndStack.ADMIN_PASSWORD, List.of("hal", "ida"))) {
            send(scenario.userToken("ida"), "one new message");
            scenario.connection("hal").next("message.created", TIMEOUT);
            Map<String, Long> known = new TreeMap<>();
            known.put(CONVERSATION, 0L);
            for (int i = 1; known.size() < 10_000; i++) {
                known.put(String.format("gone-%0123d", i), 1_000_000_000L + i);   // 128 characters, the longest id allowed
            }
            try (PushConnection hal = PushConnection.open(resumeUrl(), scenario.userToken("hal"), TIMEOUT)) {
                // ~1.5 million characters: read through the session's 1,024-character buffer in parts and joined
                hal.send(Map.of("type", "resume", "conversations", known));

                List<JsonNode> frames = new ArrayList<>();
                JsonNode done;
                while (!(done = hal.next(TIMEOUT).json()).get("type").asString().equals("resume.done")) {
                    assertThat(done.get("type").asString()).as("%s after %s", done, frames).isNotEqualTo("error");
                    frames.add(done);
                }
                assertThat(frames).filteredOn(frame -> frame.get("type").asString().equals("message.created"))
                        .singleElement().satisfies(frame -> assertThat(frame.get("text").asString()).isEqualTo("one new message"));
                assertThat(done.get("conversations").get(CONVERSATION).asLong()).isEqualTo(1);
                assertThat(done.get("removed")).as("the ids that are none of hal's").hasSize(9_999);
            }
        }
    }

    @Test
    void afterAnInBandRefreshHistoryIsReadWithTheNewToken() throws Exception {
        try (DealWonScenario scenario = DealWonScenario.setUp(client, EndToEndStack.ADMIN_PASSWORD, List.of("jon", "kim"))) {
            send(scenario.userToken("kim"), "for jon");
            scenario.connection("jon").next("message.created", TIMEOUT);
            String pushOnly = client.userToken(scenario.appToken(), "jon", List.of("push:connect"));
            try (PushConnection jon = PushConnection.open(resumeUrl(), pushOnly, TIMEOUT)) {
                jon.send(Map.of("type", "resume", "conversations", Map.of(CONVERSATION, 0)));
                assertThat(jon.next("error", TIMEOUT).json().get("code").asString()).isEqualTo("resume-not-allowed");

                // message-service would refuse the first token (no messages:read): a resume that works was read with the new one
                jon.send(Map.of("type", "auth.refresh", "token", scenario.userToken("jon")));
                jon.next("auth.refreshed", TIMEOUT);
                jon.send(Map.of("type", "resume", "conversations", Map.of(CONVERSATION, 0)));
                assertThat(jon.next("message.created", TIMEOUT).json().get("text").asString()).isEqualTo("for jon");
                assertThat(jon.next("resume.done", TIMEOUT).json().get("conversations").get(CONVERSATION).asLong())
                        .isEqualTo(1);
            }
        }
    }

    private void send(String token, String text) {
        SwitchboardClient.Reply sent = client.sendText(token, CONVERSATION, text, java.util.UUID.randomUUID().toString());
        assertThat(sent.status()).as(sent.body().toString()).isEqualTo(201);
    }

    private JsonNode history(String token) {
        return client.history(token, CONVERSATION).body().get("messages");
    }

    private String resumeUrl() {
        return client.endpoints().pushWebSocket() + "?resume=true";
    }
}
