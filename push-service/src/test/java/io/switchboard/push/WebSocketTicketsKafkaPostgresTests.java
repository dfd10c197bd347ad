package io.switchboard.push;

import io.switchboard.platform.testing.ServiceIntegrationTest;
import io.switchboard.platform.testing.TestApps;
import io.switchboard.platform.testing.TestHttp;
import io.switchboard.platform.testing.TestMembership;
import io.switchboard.platform.testing.TestWebSocket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static io.switchboard.platform.testing.TestHttp.bearer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A browser opens its WebSocket with a one-use ticket for its token, so the URL carries nothing
 * reusable; a token in the URL is not taken at all.
 */
class WebSocketTicketsKafkaPostgresTests extends ServiceIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Autowired
    JdbcClient jdbc;

    @BeforeEach
    void app() {
        TestApps.active(appId);
        TestMembership.user(appId, "alice");
    }

    @Test
    void aTicketOpensOneSessionOnlyOnce() throws Exception {
        String ticket = ticket(tokens.userToken(appId, "alice", "push:connect"));

        try (TestWebSocket socket = TestWebSocket.connect(ws() + "?ticket=" + ticket)) {
            assertThat(socket.awaitType("session.ready", WAIT).get("userId").asString()).isEqualTo("alice");
        }
        assertThat(TestWebSocket.refusal(ws() + "?ticket=" + ticket, WAIT)).isEqualTo("4401 ticket unknown, used or expired");
    }

    @Test
    void anExpiredOrAlteredTicketOpensNothing() throws Exception {
        String expired = ticket(tokens.userToken(appId, "alice", "push:connect"));
        jdbc.sql("UPDATE websocket_tickets SET expires_at = expires_at - INTERVAL '1 minute' WHERE ticket_id = ?")
                .param(expired.substring(0, expired.indexOf('.'))).update();
        String altered = ticket(tokens.userToken(appId, "alice", "push:connect"));
        altered = altered.substring(0, altered.indexOf('.') + 1) + "A".repeat(43);

        assertThat(TestWebSocket.refusal(ws() + "?ticket=" + expired, WAIT)).isEqualTo("4401 ticket unknown, used or expired");
        assertThat(TestWebSocket.refusal(ws() + "?ticket=" + altered, WAIT)).isEqualTo("4401 ticket unknown, used or expired");
    }

    @Test
    void aTokenInTheUrlIsNotTakenAndTheTicketTableHoldsNoToken() throws Exception {
        String token = tokens.userToken(appId, "alice", "push:connect");
        ticket(token);

        assertThat(TestWebSocket.refusal(ws() + "?access_token=" + token, WAIT)).isEqualTo("4401 token missing");
        List<byte[]> stored = jdbc.sql("SELECT sealed FROM websocket_tickets").query(byte[].class).list();
        assertThat(stored).isNotEmpty().allSatisfy(sealed ->
                assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain(token.substring(0, 40)));
    }

    @Test
    void onlyAUsersPushTokenGetsATicket() {
        assertThat(http().postJson("/v1/ws/tickets", bearer(tokens.appToken(appId, "push:connect")), null).status())
                .isEqualTo(403);
        assertThat(http().postJson("/v1/ws/tickets", bearer(tokens.userToken(appId, "alice", "messages:read")), null)
                .status()).isEqualTo(403);
        assertThat(http().postJson("/v1/ws/tickets", null, null).status()).isEqualTo(401);
    }

    private String ticket(String token) {
        TestHttp.Response issued = http().postJson("/v1/ws/tickets", bearer(token), null);
        assertThat(issued.status()).as(issued.body()).isEqualTo(201);
        return issued.text("ticket");
    }

    private String ws() {
        return "ws://127.0.0.1:" + port + "/v1/ws";
    }
}
