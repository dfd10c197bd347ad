package io.switchboard.message;

import io.switchboard.platform.testing.ServiceIntegrationTest;
import io.switchboard.platform.testing.TestApps;
import io.switchboard.platform.testing.TestMembership;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A browser page of the allowed origin (the test configuration allows {@value #PAGE}, as the local
 * stack allows push-service's end-user page) may call the API cross-origin; any other origin gets
 * no CORS grant, so browsers keep its pages out.
 */
class CrossOriginKafkaPostgresTests extends ServiceIntegrationTest {

    static final String PAGE = "http://page.switchboard.test:8084";
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeEach
    void aliceIsInAGroup() {
        TestApps.active(appId);
        TestMembership.group(appId, "g1", "Group 1", List.of("alice"));
    }

    @Test
    void preflightOfTheAllowedOriginIsAnsweredWithoutAToken() throws Exception {
        HttpResponse<String> preflight = preflight(PAGE, "POST", "authorization,content-type,idempotency-key");

        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue(PAGE);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods").orElseThrow()).contains("POST");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElseThrow().toLowerCase())
                .contains("authorization", "content-type", "idempotency-key");
        assertThat(preflight.headers().firstValue("Access-Control-Max-Age")).hasValue("3600");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
    }

    @Test
    void preflightOfAnotherOriginIsRefused() throws Exception {
        HttpResponse<String> preflight = preflight("http://evil.example", "POST", "authorization");

        assertThat(preflight.statusCode()).isEqualTo(403);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void answersToTheAllowedOriginCarryTheGrantAndExposeTheDocumentedHeaders() throws Exception {
        String alice = "Bearer " + tokens.userToken(appId, "alice", "messages:read", "messages:write");
        await().atMost(Duration.ofSeconds(10)).until(() -> get("/v1/conversations/g1/messages", alice, PAGE).statusCode() == 200);

        HttpResponse<String> sent = HTTP.send(HttpRequest.newBuilder(uri("/v1/conversations/g1/messages"))
                .header("Origin", PAGE).header("Authorization", alice).header("Content-Type", "application/json")
                .header("Idempotency-Key", "cors-1")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"TEXT\",\"text\":\"from the page\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(sent.statusCode()).isEqualTo(201);
        assertThat(sent.headers().firstValue("Access-Control-Allow-Origin")).hasValue(PAGE);
        assertThat(sent.headers().firstValue("Access-Control-Expose-Headers").orElseThrow())
                .contains("ETag", "Idempotent-Replayed", "Retry-After");

        HttpResponse<String> refused = get("/v1/conversations/g1/messages", null, PAGE);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("Access-Control-Allow-Origin"))
                .as("the page can read why it was refused").hasValue(PAGE);

        HttpResponse<String> otherOrigin = get("/v1/conversations/g1/messages", alice, "http://evil.example");
        assertThat(otherOrigin.statusCode()).isEqualTo(403);
        assertThat(otherOrigin.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    private HttpResponse<String> preflight(String origin, String method, String headers) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri("/v1/conversations/g1/messages"))
                .header("Origin", origin).header("Access-Control-Request-Method", method)
                .header("Access-Control-Request-Headers", headers)
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String authorization, String origin) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Origin", origin).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
