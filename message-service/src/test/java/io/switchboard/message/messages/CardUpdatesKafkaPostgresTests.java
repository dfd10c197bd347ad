package io.switchboard.message.messages;

import io.switchboard.events.chat.Card;
import io.switchboard.events.chat.CardAction;
import io.switchboard.events.chat.CardUpdateRequest;
import io.switchboard.events.chat.ChatEventType;
import io.switchboard.events.chat.ChatMessageEvent;
import io.switchboard.platform.kafka.DeadLetters;
import io.switchboard.platform.testing.ServiceIntegrationTest;
import io.switchboard.platform.testing.TestApps;
import io.switchboard.platform.testing.TestHttp;
import io.switchboard.platform.testing.TestMembership;
import io.switchboard.platform.testing.TestProducers;
import io.switchboard.platform.testing.TopicProbe;
import io.switchboard.schemas.Topics;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static io.switchboard.platform.testing.TestHttp.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** An app's answer to a card action, relayed on chat.card.updates, replaces the card with the app's authority. */
class CardUpdatesKafkaPostgresTests extends ServiceIntegrationTest {

    private static final String TEAM = "team";

    @BeforeEach
    void theAppPostedACardWithAnApproveButton() {
        TestApps.active(appId);
        TestMembership.group(appId, TEAM, "Team", List.of("alice", "bob"));
        await().atMost(Duration.ofSeconds(10)).until(() -> http().get(path(""), reader()).status() == 200);
        TestHttp.Response sent = http().postJson(path(""), bearer(tokens.appToken(appId, "messages:write")),
                Map.of("type", "CARD", "card", Map.of("title", "Approve the ACME discount?",
                        "actions", List.of(Map.of("id", "approve", "label", "Approve", "callbackId", "deal-42:approve")))),
                Map.of("Idempotency-Key", "card-1"));
        assertThat(sent.status()).as(sent.body()).isEqualTo(201);
    }

    @Test
    void theCardIsReplacedOnceAndOnlyAtTheClickedVersion() {
        CardUpdateRequest approved = request(1, 1, "Discount approved", null);
        publish(approved);

        ChatMessageEvent edited = awaitEdit("Discount approved");
        assertThat(edited.getActorId()).as("the app's authority").isEqualTo(appId);
        assertThat(edited.getMessage().getVersion()).isEqualTo(2);
        assertThat(edited.getMessage().getText()).as("the title is the text fallback").isEqualTo("Discount approved");

        publish(approved);                                          // read twice
        publish(request(1, 1, "Discount refused", "late answer"));  // based on the version before
        publish(request(1, 2, "Discount approved by bob", null));
        awaitEdit("Discount approved by bob");
        assertThat(http().get(path("/1/versions"), reader()).json().valueStream().map(v -> v.get("version").asInt()).toList())
                .as("the repeat and the stale answer changed nothing").containsExactly(3, 2, 1);
    }

    @Test
    void anInvalidCardOrAnUnknownMessageIsDeadLettered() {
        Card twoTargets = Card.newBuilder().setTitle("Broken").setActions(List.of(CardAction.newBuilder()
                .setId("x").setLabel("X").setUrl("https://example.com").setCallbackId("x").build())).build();
        publish(CardUpdateRequest.newBuilder(request(1, 1, "ignored", null)).setCard(twoTargets).build());
        awaitDeadLetter("invalid-card");

        publish(request(99, 1, "Nobody there", null));
        awaitDeadLetter("message-not-found");
    }

    private CardUpdateRequest request(long seq, int basedOnVersion, String title, String text) {
        return CardUpdateRequest.newBuilder()
                .setRequestId("click-" + title.hashCode()).setAppId(appId).setConversationId(TEAM).setSeq(seq)
                .setMessageId("m-" + seq).setBasedOnVersion(basedOnVersion)
                .setCard(Card.newBuilder().setTitle(title).build()).setText(text)
                .setRequestedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .build();
    }

    private void publish(CardUpdateRequest request) {
        TestProducers.sendAvro(Topics.CHAT_CARD_UPDATES.name(), Topics.conversationKey(appId, TEAM), request);
    }

    private ChatMessageEvent awaitEdit(String title) {
        String key = Topics.conversationKey(appId, TEAM);
        return TopicProbe.<ChatMessageEvent>awaitRecord(Topics.CHAT_MESSAGES.name(),
                        r -> key.equals(r.key()) && isCardEditTitled(r.value(), title))
                .stream().map(r -> r.value())
                .filter(e -> isCardEditTitled(e, title))
                .findFirst().orElseThrow();
    }

    /** Other tests edit text messages in a conversation of the same name: only card edits count here. */
    private static boolean isCardEditTitled(ChatMessageEvent event, String title) {
        return event.getType() == ChatEventType.MESSAGE_EDITED && event.getMessage() != null
                && event.getMessage().getCard() != null && title.equals(event.getMessage().getCard().getTitle());
    }

    private void awaitDeadLetter(String reason) {
        String key = Topics.conversationKey(appId, TEAM);
        TopicProbe.awaitRawRecord(Topics.CHAT_CARD_UPDATES_DLT.name(), r -> key.equals(r.key())
                && reason.equals(new String(r.headers().lastHeader(DeadLetters.REASON_HEADER).value(), StandardCharsets.UTF_8)));
    }

    private String reader() {
        return bearer(tokens.userToken(appId, "alice", "messages:read"));
    }

    private static String path(String rest) {
        return "/v1/conversations/" + TEAM + "/messages" + rest;
    }
}
