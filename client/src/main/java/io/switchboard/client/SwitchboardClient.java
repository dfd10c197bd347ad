package io.switchboard.client;

import io.switchboard.events.integration.BusinessEvent;
import io.switchboard.schemas.RegistrySerde;
import io.switchboard.schemas.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What an integrating party does with a running Switchboard, over its public interfaces only:
 * the platform admin creates an app, the app gets tokens and sets up a conversation, a CRM
 * publishes a business event with a plain Kafka producer.
 */
public final class SwitchboardClient implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.shared();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Endpoints endpoints;
    private KafkaProducer<String, Object> producer;

    public SwitchboardClient(Endpoints endpoints) {
        this.endpoints = endpoints;
    }

    public Endpoints endpoints() {
        return endpoints;
    }

    /** An app's credentials, as the admin receives them once. */
    public record App(String appId, String certificate) {
    }

    /** An HTTP response: status and JSON body. */
    public record Reply(int status, JsonNode body) {
    }

    public App createApp(String adminPassword, String name) {
        Reply reply = send(HttpRequest.newBuilder(URI.create(endpoints.auth() + "/v1/apps"))
                .header("Authorization", basic("admin", adminPassword))
                .header("Content-Type", "application/json")
                .POST(json(Map.of("name", name))));
        expect(reply, 201, "create app");
        return new App(reply.body().get("appId").asString(), reply.body().get("appCertificate").asString());
    }

    /** OAuth 2.0 client credentials: App ID + App Certificate for an app access token. */
    public String appToken(App app, String... scopes) {
        String form = "grant_type=client_credentials&scope=" + URLEncoder.encode(String.join(" ", scopes), StandardCharsets.UTF_8);
        Reply reply = send(HttpRequest.newBuilder(URI.create(endpoints.auth() + "/oauth2/token"))
                .header("Authorization", basic(app.appId(), app.certificate()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
        expect(reply, 200, "app token");
        return reply.body().get("access_token").asString();
    }

    /**
     * A Kafka credential for the app's upstream producers (app token with {@code kafka-credentials:admin}):
     * the answer as auth-service gave it, password included, which producers read as {@code credential.json}.
     */
    public JsonNode issueKafkaCredential(String appToken) {
        Reply reply = send(HttpRequest.newBuilder(URI.create(endpoints.auth() + "/v1/kafka-credentials"))
                .header("Authorization", "Bearer " + appToken)
                .header("Content-Type", "application/json")
                .POST(json(Map.of())));
        expect(reply, 201, "Kafka credential");
        return reply.body();
    }

    /** A user token with the default user scopes. */
    public String userToken(String appToken, String userId) {
        return userToken(appToken, userId, List.of());
    }

    /** A user token with the given scopes (none: the default user scopes). */
    public String userToken(String appToken, String userId, List<String> scopes) {
        Reply reply = send(HttpRequest.newBuilder(URI.create(endpoints.auth() + "/v1/users/" + userId + "/tokens"))
                .header("Authorization", "Bearer " + appToken)
                .header("Content-Type", "application/json")
                .POST(json(scopes.isEmpty() ? Map.of() : Map.of("scopes", scopes))));
        expect(reply, 201, "user token");
        return reply.body().get("accessToken").asString();
    }

    /** A one-use ticket to open push-service's WebSocket with ({@code ?ticket=}), as a browser does. */
    public String webSocketTicket(String userToken) {
        Reply reply = send(HttpRequest.newBuilder(URI.create(endpoints.push() + "/v1/ws/tickets"))
                .header("Authorization", "Bearer " + userToken)
                .POST(HttpRequest.BodyPublishers.noBody()));
        expect(reply, 201, "WebSocket ticket");
        return reply.body().get("ticket").asString();
    }

    /** Provisions users of the app (membership-service accepts only provisioned users as members), 1,000 a request. */
    public void importUsers(String appToken, List<String> userIds) {
        for (int from = 0; from < userIds.size(); from += 1000) {
            List<String> batch = userIds.subList(from, Math.min(from + 1000, userIds.size()));
            Reply reply = send(HttpRequest.newBuilder(URI.create(endpoints.membership() + "/v1/users/import"))
                    .header("Authorization", "Bearer " + appToken)
                    .header("Content-Type", "application/json")
                    .POST(json(Map.of("users", batch.stream().map(id -> Map.of("userId", id)).toList()))));
            expect(reply, 200, "import users");
        }
    }

    public void createGroup(String appToken, String conversationId, String name, List<String> members) {
        Reply reply = send(HttpRequest.newBuilder(URI.create(endpoints.membership() + "/v1/conversations"))
                .header("Authorization", "Bearer " + appToken)
                .header("Content-Type", "application/json")
                .POST(json(Map.of("conversationId", conversationId, "type", "GROUP", "name", name,
                        "members", members.stream().map(m -> Map.of("userId", m)).toList()))));
        expect(reply, 201, "create conversation");
    }

    /**
     * Creates or replaces a routing rule of the app ({@code routing:admin}); {@code rule} is the
     * rule's JSON shape (name, match, targets, content, ...), as message-service's README describes.
     */
    public void putRoutingRule(String appToken, String ruleId, Map<String, Object> rule) {
        Reply reply = send(HttpRequest.newBuilder(URI.create(endpoints.message() + "/v1/routing/rules/" + ruleId))
                .header("Authorization", "Bearer " + appToken)
                .header("Content-Type", "application/json")
                .PUT(json(rule)));
        if (reply.status() != 200 && reply.status() != 201) {
            expect(reply, 201, "put routing rule");
        }
    }

    /** A registered webhook endpoint and its signing secret (shown once). */
    public record Webhook(String endpointId, String secret) {
    }

    /**
     * Registers a webhook endpoint of the app ({@code webhooks:admin}) for these event types;
     * {@code botUserId} (message events) may be null.
     */
    public Webhook registerWebhook(String appToken, String url, List<String> eventTypes, String botUserId) {
        Map<String, Object> request = new HashMap<>(Map.of("url", url, "eventTypes", eventTypes));
        if (botUserId != null) {
            request.put("botUserId", botUserId);
        }
        Reply reply = send(HttpRequest.newBuilder(URI.create(endpoints.push() + "/v1/webhooks/endpoints"))
                .header("Authorization", "Bearer " + appToken)
                .header("Content-Type", "application/json")
                .POST(json(request)));
        expect(reply, 201, "register webhook");
        return new Webhook(reply.body().get("endpoint").get("endpointId").asString(), reply.body().get("secret").asString());
    }

    /** Adds one member to a group; the reply's status tells if it was accepted. */
    public Reply addMember(String token, String conversationId, String userId) {
        return send(HttpRequest.newBuilder(URI.create(endpoints.membership() + "/v1/conversations/" + conversationId
                        + "/members"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(json(Map.of("members", List.of(Map.of("userId", userId))))));
    }

    /**
     * Changes a conversation's settings ({@code name}, {@code archived}, {@code postingPolicy}, ...,
     * as membership-service's README describes); the reply's status tells if it was accepted.
     */
    public Reply changeConversation(String token, String conversationId, Map<String, Object> changes) {
        return send(HttpRequest.newBuilder(URI.create(endpoints.membership() + "/v1/conversations/" + conversationId))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method("PATCH", json(changes)));
    }

    /** Adds members to a group, 1,000 a request (the API's limit). */
    public void addMembers(String token, String conversationId, List<String> userIds) {
        for (int from = 0; from < userIds.size(); from += 1000) {
            List<String> batch = userIds.subList(from, Math.min(from + 1000, userIds.size()));
            Reply reply = send(HttpRequest.newBuilder(URI.create(endpoints.membership() + "/v1/conversations/"
                            + conversationId + "/members"))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(json(Map.of("members", batch.stream().map(id -> Map.of("userId", id)).toList()))));
            if (reply.status() != 200 && reply.status() != 201) {
                expect(reply, 200, "add members");
            }
        }
    }

    /** Removes one member from a group; the reply's status tells if it was accepted. */
    public Reply removeMember(String token, String conversationId, String userId) {
        return send(HttpRequest.newBuilder(URI.create(endpoints.membership() + "/v1/conversations/" + conversationId
                        + "/members/" + userId))
                .header("Authorization", "Bearer " + token).DELETE());
    }

    /** Platform admin: sets how many requests per second the app may make (per service). */
    public void setRequestRate(String adminPassword, String appId, int requestsPerSecond) {
        Reply reply = send(HttpRequest.newBuilder(URI.create(endpoints.auth() + "/v1/apps/" + appId))
                .header("Authorization", basic("admin", adminPassword))
                .header("Content-Type", "application/json")
                .method("PATCH", json(Map.of("requestsPerSecond", requestsPerSecond))));
        expect(reply, 200, "update app");
    }

    /** The app changes one of its users' profile (membership-service), e.g. {@code displayName}. */
    public Reply changeUser(String appToken, String userId, Map<String, Object> changes) {
        return send(HttpRequest.newBuilder(URI.create(endpoints.membership() + "/v1/users/" + userId))
                .header("Authorization", "Bearer " + appToken)
                .header("Content-Type", "application/json")
                .method("PATCH", json(changes)));
    }

    /** The app deactivates one of its users (membership-service): their tokens stop working everywhere. */
    public Reply deactivateUser(String appToken, String userId) {
        return send(HttpRequest.newBuilder(URI.create(endpoints.membership() + "/v1/users/" + userId))
                .header("Authorization", "Bearer " + appToken)
                .header("Content-Type", "application/json")
                .method("PATCH", json(Map.of("active", false))));
    }

    /** The app signs one of its users out everywhere (auth-service): every token of theirs so far stops working. */
    public Reply signOut(String appToken, String userId) {
        return send(HttpRequest.newBuilder(URI.create(endpoints.auth() + "/v1/users/" + userId + "/sign-out"))
                .header("Authorization", "Bearer " + appToken)
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** Platform admin: suspends an app. */
    public void suspendApp(String adminPassword, String appId) {
        Reply reply = send(HttpRequest.newBuilder(URI.create(endpoints.auth() + "/v1/apps/" + appId + "/suspend"))
                .header("Authorization", basic("admin", adminPassword))
                .POST(HttpRequest.BodyPublishers.noBody()));
        expect(reply, 200, "suspend app");
    }

    /** GET a conversation from membership-service with a token; the reply's status tells if it was accepted. */
    public Reply conversation(String token, String conversationId) {
        return send(HttpRequest.newBuilder(URI.create(endpoints.membership() + "/v1/conversations/" + conversationId))
                .header("Authorization", "Bearer " + token).GET());
    }

    public Reply history(String userToken, String conversationId) {
        return send(HttpRequest.newBuilder(URI.create(endpoints.message() + "/v1/conversations/" + conversationId
                        + "/messages")).header("Authorization", "Bearer " + userToken).GET());
    }

    /** A user's entry for one conversation (unread count, read position, last message) from message-service. */
    public Reply myConversation(String userToken, String conversationId) {
        return send(HttpRequest.newBuilder(URI.create(endpoints.message() + "/v1/me/conversations/" + conversationId))
                .header("Authorization", "Bearer " + userToken).GET());
    }

    /** Edits a message to a new text. */
    public Reply editText(String token, String conversationId, long seq, String text) {
        return send(HttpRequest.newBuilder(URI.create(endpoints.message() + "/v1/conversations/" + conversationId
                        + "/messages/" + seq))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method("PATCH", json(Map.of("type", "TEXT", "text", text))));
    }

    /** Recalls a message (for everyone). */
    public Reply recall(String token, String conversationId, long seq) {
        return send(HttpRequest.newBuilder(URI.create(endpoints.message() + "/v1/conversations/" + conversationId
                        + "/messages/" + seq + "/recall"))
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    /**
     * Sends a text message; the idempotency key makes a retry of this call safe. The reply's
     * status tells if it was accepted (201, or 200 for a replay of the key).
     */
    public Reply sendText(String token, String conversationId, String text, String idempotencyKey) {
        return sendMessage(token, conversationId, Map.of("type", "TEXT", "text", text), idempotencyKey);
    }

    /** Sends any message ({@code type} TEXT, CARD or CUSTOM with its content), e.g. a card with buttons. */
    public Reply sendMessage(String token, String conversationId, Map<String, Object> message, String idempotencyKey) {
        return send(HttpRequest.newBuilder(URI.create(endpoints.message() + "/v1/conversations/" + conversationId
                        + "/messages"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey)
                .POST(json(message)));
    }

    private void connectProducer() {
        if (producer == null) {
            Map<String, Object> properties = new HashMap<>(RegistrySerde.producerProperties(endpoints.registryApi()));
            properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.kafka());
            properties.put(ProducerConfig.ACKS_CONFIG, "all");
            producer = new KafkaProducer<>(properties);
            producer.partitionsFor(Topics.INTEGRATION_EVENTS.name());
        }
    }

    /** Publishes as an upstream system would: a plain KafkaProducer with the registry serde. */
    public void publish(BusinessEvent event) throws Exception {
        connectProducer();
        producer.send(new ProducerRecord<>(Topics.INTEGRATION_EVENTS.name(), event.getEventId(), event))
                .get(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close();
        }
    }

    private static Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body());
            return new Reply(response.statusCode(), body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void expect(Reply reply, int status, String what) {
        if (reply.status() != status) {
            throw new IllegalStateException(what + " failed: HTTP " + reply.status() + " " + reply.body());
        }
    }

    private static HttpRequest.BodyPublisher json(Object body) {
        return HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
