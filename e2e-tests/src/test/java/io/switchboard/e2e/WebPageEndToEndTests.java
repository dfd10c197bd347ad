package io.switchboard.e2e;

import io.switchboard.client.PushConnection;
import io.switchboard.client.SwitchboardClient;
import io.switchboard.stack.StackService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The end-user page push-service serves, in headless Chromium, against the whole stack: a user
 * signs in with a token, sees their conversations with unread counts and the other members by their
 * display names, gets a business event published on Kafka as a notification card, sends a message
 * that is stored, and after push-service dies and comes back sees what was sent meanwhile exactly once. Screenshots go to
 * {@code target/screenshots}. Killing push-service leaves it restarted and ready for the test
 * classes that share the stack.
 */
@ExtendWith(EndToEndStack.Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebPageEndToEndTests {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String CONVERSATION = DealWonScenario.CONVERSATION;

    /** The CRM's deal.won as a card: fields, a link to the deal and a button that calls the app back. */
    private static final Map<String, Object> DEAL_WON_CARD_RULE = Map.of(
            "name", "Deals won to the sales team, as cards",
            "match", Map.of("source", "crm", "eventTypes", List.of("deal.won")),
            "targets", List.of(Map.of("type", "CONVERSATION", "conversationId", CONVERSATION)),
            "content", Map.of("text", "Deal won: {{entity.displayName}}",
                    "card", Map.of("title", "Deal won: {{entity.displayName}}",
                            "fields", List.of(Map.of("label", "Amount", "value", "{{payload.amount}} {{payload.currency}}"),
                                    Map.of("label", "Closed by", "value", "{{actor}}")),
                            "actions", List.of(Map.of("id", "open", "label", "Open deal", "url", "{{{entity.url}}}"),
                                    Map.of("id", "ack", "label", "Congratulate", "callbackId", "ack/{{eventId}}")))));

    private EndToEndStack endToEnd;
    private SwitchboardClient client;
    private HeadlessChromium chromium;
    private ChromeDriver page;

    @BeforeAll
    void startChromium(EndToEndStack e2e) {
        endToEnd = e2e;
        client = e2e.client();
        chromium = HeadlessChromium.start();
        page = chromium.driver();
    }

    @AfterEach
    void printTheConsole() {
        chromium.consoleMessages().forEach(line -> System.out.println("[page console] " + line));
    }

    @AfterAll
    void stopChromium() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void signedInUserSeesUnreadCountsSendersByNameANotificationCardFromKafkaAndSendsAMessageThatIsStored()
            throws Exception {
        try (DealWonScenario scenario = DealWonScenario.setUp(client, EndToEndStack.ADMIN_PASSWORD, List.of("ivy", "jack"))) {
            client.putRoutingRule(scenario.appToken(), "crm-deal-won", DEAL_WON_CARD_RULE);
            nameUser(scenario, "jack", "Jack Brown");
            String jack = scenario.userToken("jack");
            assertThat(client.sendText(jack, CONVERSATION, "Morning all", "jack-1").status()).isEqualTo(201);
            assertThat(client.sendText(jack, CONVERSATION, "Who takes the ACME call?", "jack-2").status()).isEqualTo(201);
            // both were pushed before the page connects: it learns of them from its resume, not live
            scenario.connection("ivy").next("message.created", WAIT);
            scenario.connection("ivy").next("message.created", WAIT);

            open(scenario.userToken("ivy"));
            awaitTrue(() -> page.findElement(By.id("who-user")).getText().equals("ivy"));
            awaitTrue(() -> unreadBadge(CONVERSATION).equals("2"));
            assertThat(conversationButton(CONVERSATION).getText()).contains("Sales wins");
            chromium.screenshot("web-page-1-unread");

            openConversation(CONVERSATION);
            awaitTrue(() -> messageTexts().equals(List.of("Morning all", "Who takes the ACME call?")));
            awaitTrue(() -> messageSenders().equals(List.of("Jack Brown", "Jack Brown")));
            awaitTrue(() -> unreadBadge(CONVERSATION).isEmpty());
            await().atMost(WAIT).until(() -> client.myConversation(scenario.userToken("ivy"), CONVERSATION).body()
                    .get("unread").asLong() == 0);

            client.publish(scenario.dealWon("ACME renewal", 12000));
            WebElement card = awaitElement(By.cssSelector("#messages li.has-card article.card"));
            assertThat(card.findElement(By.tagName("h3")).getText()).isEqualTo("Deal won: ACME renewal");
            assertThat(card.findElements(By.tagName("dt")).stream().map(WebElement::getText).toList())
                    .containsExactly("Amount", "Closed by");
            assertThat(card.findElements(By.tagName("dd")).stream().map(WebElement::getText).toList())
                    .containsExactly("12000 EUR", "carol");
            WebElement link = card.findElement(By.cssSelector("a[data-action-id='open']"));
            assertThat(link.getAttribute("href")).isEqualTo("https://crm.example/deals/12000");
            assertThat(link.getAttribute("target")).isEqualTo("_blank");
            assertThat(link.getAttribute("rel")).contains("noopener");
            WebElement callback = card.findElement(By.cssSelector("button[data-action-id='ack']"));
            assertThat(callback.getText()).isEqualTo("Congratulate");
            chromium.screenshot("web-page-2-card");

            WebElement composer = page.findElement(By.id("message-text"));
            composer.sendKeys("On it, calling ACME now", Keys.ENTER);
            awaitTrue(() -> page.findElements(By.cssSelector("#messages li.own:not(.pending)")).stream()
                    .anyMatch(m -> m.getText().contains("On it, calling ACME now") && m.getAttribute("data-seq") != null));
            assertThat(messageSenders().getLast()).isEqualTo("You");
            JsonNode stored = client.history(jack, CONVERSATION).body().get("messages");
            JsonNode mine = stored.get(stored.size() - 1);
            assertThat(mine.get("text").asString()).isEqualTo("On it, calling ACME now");
            assertThat(mine.get("senderId").asString()).isEqualTo("ivy");
            String pushedToJack;
            do {
                pushedToJack = scenario.connection("jack").next("message.created", WAIT).json().get("text").asString();
            } while (!pushedToJack.equals("On it, calling ACME now"));

            callback.click();
            awaitTrue(() -> "sent".equals(callback.getAttribute("data-state")));
            assertSeqsShownOnce();
            chromium.screenshot("web-page-3-sent");
        }
    }

    /**
     * A real drop: push-service's JVM is killed (SIGKILL), so the browser's WebSocket breaks as with
     * a lost network. While it is down a member posts and the user sends from the page (message-service
     * is up); once push-service is back the page reconnects on its own, resumes from the changeSeq
     * it holds, and shows every message exactly once.
     */
    @Test
    void afterPushServiceDiesThePageReconnectsResumesAndShowsWhatItMissedExactlyOnce() throws Exception {
        try (DealWonScenario scenario = DealWonScenario.setUp(client, EndToEndStack.ADMIN_PASSWORD, List.of("kate", "liam"))) {
            String liam = scenario.userToken("liam");
            open(scenario.userToken("kate"));
            openConversation(CONVERSATION);
            assertThat(client.sendText(liam, CONVERSATION, "Before the drop", "liam-1").status()).isEqualTo(201);
            awaitTrue(() -> messageTexts().equals(List.of("Before the drop")));
            awaitTrue(() -> connectionState().equals("live"));

            endToEnd.stack().crash(StackService.PUSH);
            awaitTrue(() -> connectionState().equals("offline"));
            assertThat(client.sendText(liam, CONVERSATION, "While you were away", "liam-2").status()).isEqualTo(201);
            page.findElement(By.id("message-text")).sendKeys("Sent during the outage", Keys.ENTER);
            awaitTrue(() -> messageTexts().contains("Sent during the outage")
                    && page.findElements(By.cssSelector("#messages li.pending")).isEmpty());
            chromium.screenshot("web-page-4-offline");

            long restarting = System.nanoTime();
            endToEnd.stack().restart(StackService.PUSH);
            long restarted = System.nanoTime();
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> connectionState().equals("live"));
            double reconnectedMs = (System.nanoTime() - restarted) / 1e6;
            awaitTrue(() -> messageTexts().equals(List.of("Before the drop", "While you were away", "Sent during the outage")));

            assertThat(client.sendText(liam, CONVERSATION, "Welcome back", "liam-3").status()).isEqualTo(201);
            awaitTrue(() -> messageTexts().equals(
                    List.of("Before the drop", "While you were away", "Sent during the outage", "Welcome back")));
            assertSeqsShownOnce();
            assertThat(seqsShown()).containsExactly("1", "2", "3", "4");
            chromium.screenshot("web-page-5-resumed");
            System.out.printf("web page: push-service restarted in %.1f s; the page was live again %.0f ms after it was ready%n",
                    (restarted - restarting) / 1e9, reconnectedMs);
        }
    }

    /**
     * What changes around a conversation shows without a reload: who of its members is online
     * (a member's WebSocket connects and drops; by display name, by id for a user without one), a
     * rename, and archiving (the composer goes away).
     */
    @Test
    void theOpenConversationShowsWhoIsOnlineAndFollowsRenameAndArchiveLive() throws Exception {
        try (DealWonScenario scenario = DealWonScenario.setUp(client, EndToEndStack.ADMIN_PASSWORD, List.of("nina", "omar", "pia"))) {
            nameUser(scenario, "omar", "Omar Okafor");
            scenario.connection("pia").close();
            open(scenario.userToken("nina"));
            openConversation(CONVERSATION);
            awaitTrue(() -> presenceLine().equals("Online: Omar Okafor"));

            try (PushConnection pia = PushConnection.open(
                    client.endpoints().pushWebSocket(), scenario.userToken("pia"), WAIT)) {
                awaitTrue(() -> presenceLine().equals("Online: Omar Okafor, pia"));
                chromium.screenshot("web-page-6-presence");
            }
            scenario.connection("omar").close();
            awaitTrue(() -> presenceLine().equals("Nobody else is online"));

            assertThat(client.changeConversation(scenario.appToken(), CONVERSATION, Map.of("name", "Sales wins EMEA"))
                    .status()).isEqualTo(200);
            awaitTrue(() -> page.findElement(By.id("conversation-title")).getText().equals("Sales wins EMEA"));
            awaitTrue(() -> conversationButton(CONVERSATION).getText().contains("Sales wins EMEA"));
            assertThat(page.findElement(By.id("composer")).isDisplayed()).isTrue();

            assertThat(client.changeConversation(scenario.appToken(), CONVERSATION, Map.of("archived", true))
                    .status()).isEqualTo(200);
            awaitTrue(() -> page.findElement(By.id("conversation-archived")).isDisplayed());
            assertThat(page.findElement(By.id("composer")).isDisplayed()).isFalse();
            assertThat(conversationButton(CONVERSATION).getAttribute("aria-label")).contains("archived");
            chromium.screenshot("web-page-7-archived");

            // a page opened afterwards learns that it is archived from its resume
            open(scenario.userToken("nina"));
            openConversation(CONVERSATION);
            awaitTrue(() -> page.findElement(By.id("conversation-archived")).isDisplayed());
        }
    }

    @Test
    void aTokenThePushServiceRefusesSignsTheUserOutWithTheReason() throws Exception {
        try (DealWonScenario scenario = DealWonScenario.setUp(client, EndToEndStack.ADMIN_PASSWORD, List.of("mona"))) {
            String token = scenario.userToken("mona");
            String badSignature = token.substring(0, token.lastIndexOf('.') + 1) + "A".repeat(86);

            page.get("about:blank");
            page.get(endToEnd.stack().url(StackService.PUSH) + "/#token=" + badSignature);
            awaitTrue(() -> page.findElement(By.id("sign-in-error")).isDisplayed());
            assertThat(page.findElement(By.id("sign-in-error")).getText()).startsWith("Your token was refused or revoked.");
            assertThat(page.findElement(By.id("workspace")).isDisplayed()).isFalse();
            assertThat(page.executeScript("return sessionStorage.length")).as("the refused token is forgotten").isEqualTo(0L);
        }
    }

    private void nameUser(DealWonScenario scenario, String userId, String displayName) {
        assertThat(client.changeUser(scenario.appToken(), userId, Map.of("displayName", displayName)).status())
                .isEqualTo(200);
    }

    private void open(String userToken) {
        page.get("about:blank");   // a new document, even if only the fragment differs from the last one
        page.get(endToEnd.stack().url(StackService.PUSH) + "/#token=" + userToken);
        awaitTrue(() -> page.findElement(By.id("workspace")).isDisplayed());
        assertThat(page.getCurrentUrl()).as("the token leaves the address bar").doesNotContain("token=");
    }

    /** Clicks a conversation in the list; the list is re-rendered as frames arrive, so a stale button is looked up again. */
    private void openConversation(String conversationId) {
        awaitTrue(() -> {
            conversationButton(conversationId).click();
            return true;
        });
    }

    private String presenceLine() {
        return page.findElement(By.id("conversation-presence")).getText();
    }

    private String connectionState() {
        return page.findElement(By.id("connection")).getAttribute("data-state");
    }

    private WebElement conversationButton(String conversationId) {
        return page.findElement(By.cssSelector("button[data-conversation-id='" + conversationId + "']"));
    }

    /** The unread count shown for a conversation, "" when none is shown. */
    private String unreadBadge(String conversationId) {
        List<WebElement> badges = conversationButton(conversationId).findElements(By.className("unread"));
        return badges.isEmpty() ? "" : badges.getFirst().getText();
    }

    /** The texts of the open conversation's messages, in the order shown. */
    private List<String> messageTexts() {
        return page.findElements(By.cssSelector("#messages li p.text")).stream().map(WebElement::getText).toList();
    }

    /** Who the open conversation's messages are from, as shown, in order. */
    private List<String> messageSenders() {
        return page.findElements(By.cssSelector("#messages li .sender")).stream().map(WebElement::getText).toList();
    }

    private List<String> seqsShown() {
        return page.findElements(By.cssSelector("#messages li[data-seq]")).stream()
                .map(m -> m.getAttribute("data-seq")).toList();
    }

    private void assertSeqsShownOnce() {
        List<String> seqs = seqsShown();
        assertThat(seqs).as("every message once").doesNotHaveDuplicates();
        assertThat(page.findElements(By.cssSelector("#messages li"))).hasSameSizeAs(seqs);
    }

    private WebElement awaitElement(By selector) {
        return await().atMost(WAIT).ignoreExceptions().until(() -> page.findElement(selector), e -> e != null);
    }

    /** Waits for a condition on the page; elements re-rendered while it is read are read again. */
    private void awaitTrue(Callable<Boolean> condition) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).ignoreExceptionsInstanceOf(WebDriverException.class)
                .until(condition);
    }
}
