package io.switchboard.message;

import io.switchboard.platform.testing.ServiceIntegrationTest;
import io.switchboard.platform.testing.TestApps;
import io.switchboard.platform.testing.TestHttp;
import io.switchboard.platform.testing.TestMembership;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.switchboard.platform.testing.TestHttp.bearer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every error is a problem document with a stable code and a 4xx for a client's mistake, also
 * where the answer is decided before a controller runs (the container, the firewall, the error
 * page) or by method validation; and a token without the scope learns nothing about the body.
 * (The walk over every operation is {@code MalformedInputWalkEndToEndTests}.)
 */
class ProblemAnswersKafkaPostgresTests extends ServiceIntegrationTest {

    @BeforeEach
    void app() {
        TestApps.active(appId);
        TestMembership.group(appId, "team", "Team", List.of("alice"));
    }

    @Test
    void aParameterBreakingAValidatedControllersConstraintIsA400() {
        assertProblem(http().get("/v1/routing/rules?limit=0", bearer(tokens.appToken(appId, "routing:admin"))),
                400, "validation-failed");
        assertProblem(http().get("/v1/routing/rules?limit=%FF", bearer(tokens.appToken(appId, "routing:admin"))),
                400, "malformed-request");
    }

    @Test
    void anIfMatchBeyondAnyVersionIsAPreconditionFailureNotAnError() {
        String alice = bearer(tokens.userToken(appId, "alice", "messages:write", "messages:read"));
        TestHttp.Response sent = http().postJson("/v1/conversations/team/messages", alice,
                Map.of("type", "TEXT", "text", "first"), Map.of("Idempotency-Key", UUID.randomUUID().toString()));
        assertThat(sent.status()).as(sent.body()).isEqualTo(201);

        TestHttp.Response edited = http().send("PATCH", "/v1/conversations/team/messages/" + sent.json().get("seq").asLong(),
                alice, Map.of("type", "TEXT", "text", "second"), Map.of("If-Match", "\"99999999999\""));

        assertProblem(edited, 412, "version-mismatch");
    }

    @Test
    void aTokenWithoutTheScopeIsRefusedBeforeItsBodyIsRead() {
        TestHttp.Response refused = http().postJson("/v1/routing/rules", bearer(tokens.appToken(appId, "messages:read")),
                "{\"not\": \"a rule\"");

        assertProblem(refused, 403, "forbidden");
    }

    @Test
    void whatTheContainerTheFirewallAndTheErrorPageRefuseIsAProblemToo() {
        assertProblem(http().get("/v1/a%2Fb", null), 400, "malformed-request");
        assertProblem(http().get("/v1/conversations;jsessionid=1", null), 400, "malformed-request");
        assertProblem(http().get("/error", null), 404, "not-found");
        assertProblem(http().get("/v1/me/conversations?cursor=%00",
                bearer(tokens.userToken(appId, "alice", "messages:read"))), 400, "malformed-request");
    }

    @Test
    void aNulInTheTextOfABodyIsAMalformedRequest() {
        TestHttp.Response nul = http().postJson("/v1/conversations/team/messages",
                bearer(tokens.userToken(appId, "alice", "messages:write")), "{\"type\": \"TEXT\", \"text\": \"a\\u0000b\"}",
                Map.of("Idempotency-Key", UUID.randomUUID().toString()));

        assertProblem(nul, 400, "malformed-request");
    }

    private static void assertProblem(TestHttp.Response response, int status, String code) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.text("code")).isEqualTo(code);
    }
}
