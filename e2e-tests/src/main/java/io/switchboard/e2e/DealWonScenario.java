package io.switchboard.e2e;

import io.switchboard.client.PushConnection;
import io.switchboard.client.SwitchboardClient;
import io.switchboard.events.integration.BusinessEntity;
import io.switchboard.events.integration.BusinessEvent;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The walking skeleton's path: a new app with a "sales-wins" group of the given users, each
 * connected over WebSocket, and a routing rule (created over HTTP) that turns a CRM's
 * {@code deal.won} event into a notification in that group.
 */
public final class DealWonScenario implements AutoCloseable {

    public static final String CONVERSATION = "sales-wins";
    public static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** Every CRM deal.won becomes a notification in the sales-wins group. */
    public static final Map<String, Object> DEAL_WON_RULE = Map.of(
            "name", "Deals won to the sales team",
            "match", Map.of("source", "crm", "eventTypes", List.of("deal.won")),
            "targets", List.of(Map.of("type", "CONVERSATION", "conversationId", CONVERSATION)),
            "content", Map.of("text", "Deal won: {{entity.displayName}}{{#payload.amount}} ({{payload.amount}} "
                    + "{{payload.currency}}){{/payload.amount}}{{#actor}}, closed by {{actor}}{{/actor}}"));

    private final SwitchboardClient client;
    private final SwitchboardClient.App app;
    private final String appToken;
    private final Map<String, String> userTokens = new java.util.LinkedHashMap<>();
    private final Map<String, PushConnection> connections = new java.util.LinkedHashMap<>();

    private DealWonScenario(SwitchboardClient client, SwitchboardClient.App app, String appToken) {
        this.client = client;
        this.app = app;
        this.appToken = appToken;
    }

    /** Creates the app and the group, mints user tokens and connects every member. */
    public static DealWonScenario setUp(SwitchboardClient client, String adminPassword, List<String> members)
            throws InterruptedException {
        SwitchboardClient.App app = client.createApp(adminPassword, "CRM integration " + Instant.now());
        String appToken = client.appToken(app, "user-tokens:mint", "users:write", "conversations:write",
                "conversations:read", "routing:admin");
        client.importUsers(appToken, members);
        client.createGroup(appToken, CONVERSATION, "Sales wins", members);
        client.putRoutingRule(appToken, "crm-deal-won", DEAL_WON_RULE);
        DealWonScenario scenario = new DealWonScenario(client, app, appToken);
        for (String member : members) {
            String token = client.userToken(appToken, member);
            scenario.userTokens.put(member, token);
            scenario.connections.put(member, PushConnection.open(client.endpoints().pushWebSocket(), token, TIMEOUT));
        }
        return scenario;
    }

    public SwitchboardClient.App app() {
        return app;
    }

    public String appToken() {
        return appToken;
    }

    public String userToken(String member) {
        return userTokens.get(member);
    }

    public PushConnection connection(String member) {
        return connections.get(member);
    }

    /**
     * Publishes an event that no route matches, so the producer's connection and schema lookup
     * (and the routing consumer's) are warm before anything is timed.
     */
    public void warmUp() throws Exception {
        BusinessEvent probe = dealWon("warm-up", 0);
        probe.setEventType("switchboard.warm-up");
        client.publish(probe);
    }

    /** A deal.won event of this app, as the CRM would publish it. */
    public BusinessEvent dealWon(String dealName, long amount) {
        return BusinessEvent.newBuilder()
                .setEventId("crm-" + UUID.randomUUID())
                .setAppId(app.appId())
                .setSource("crm")
                .setEventType("deal.won")
                .setOccurredAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .setEntity(BusinessEntity.newBuilder().setType("deal").setId("D-" + amount).setDisplayName(dealName)
                        .setUrl("https://crm.example/deals/" + amount).build())
                .setActor("carol")
                .setConcerns(List.copyOf(connections.keySet()))
                .setPayload(Map.of("amount", amount, "currency", "EUR"))
                .build();
    }

    @Override
    public void close() {
        connections.values().forEach(PushConnection::close);
    }
}
