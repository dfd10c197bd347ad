package io.switchboard.push;

import io.switchboard.platform.testing.ServiceIntegrationTest;
import io.switchboard.platform.testing.TestApps;
import io.switchboard.platform.testing.TestMembership;
import io.switchboard.platform.testing.TestRevocations;
import io.switchboard.platform.testing.TestTokenIssuer;
import io.switchboard.platform.testing.TestWebSocket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A user's open sessions end as soon as the gateway reads that the user was deactivated, signed
 * out everywhere, or that their session's token was revoked; new handshakes with such a token are
 * refused. Other users and other tokens of the user are untouched.
 */
class UserRevocationWebSocketTests extends ServiceIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    /** How soon an open session must close once the change is on Kafka. */
    private static final Duration PROMPTLY = Duration.ofSeconds(2);

    @BeforeEach
    void app() {
        TestApps.active(appId);
        TestMembership.user(appId, "alice");
        TestMembership.user(appId, "bob");
    }

    @Test
    void deactivatingAUserClosesTheirSessionsWithUserDeactivatedAndRefusesTheirToken() throws Exception {
        String token = tokens.userToken(appId, "alice", "push:connect");
        try (TestWebSocket alice = connect(token); TestWebSocket bob = connect(tokens.userToken(appId, "bob", "push:connect"))) {
            TestMembership.deactivatedUser(appId, "alice");

            assertThat(alice.awaitCloseStatus(PROMPTLY)).isEqualTo("4401 user-deactivated");
            assertThat(bob.isOpen()).isTrue();
        }
        assertThat(TestWebSocket.refusal(ws(), token, WAIT)).isEqualTo("4401 token refused: The user is deactivated");
    }

    @Test
    void signingAUserOutEverywhereClosesTheSessionsOfEarlierTokensOnly() throws Exception {
        Instant signOut = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try (TestWebSocket before = connect(tokens.userToken(appId, "alice", "push:connect"));
             TestWebSocket after = connect(tokens.userTokenIssuedAt(signOut.plusSeconds(1), appId, "alice", "push:connect"))) {
            TestRevocations.signedOut(appId, "alice", signOut);

            assertThat(before.awaitCloseStatus(PROMPTLY)).isEqualTo("4401 signed-out");
            assertThat(after.isOpen()).isTrue();
        }
    }

    @Test
    void revokingOneTokenClosesItsSessionOnly() throws Exception {
        String revoked = tokens.userToken(appId, "alice", "push:connect");
        try (TestWebSocket laptop = connect(revoked); TestWebSocket phone = connect(tokens.userToken(appId, "alice", "push:connect"))) {
            TestRevocations.tokenRevoked(appId, "alice", TestTokenIssuer.tokenId(revoked));

            assertThat(laptop.awaitCloseStatus(PROMPTLY)).isEqualTo("4401 token-revoked");
            assertThat(phone.isOpen()).isTrue();
        }
        assertThat(TestWebSocket.refusal(ws(), revoked, WAIT)).isEqualTo("4401 token refused: The token was revoked");
    }

    private String ws() {
        return "ws://127.0.0.1:" + port + "/v1/ws";
    }

    private TestWebSocket connect(String token) throws InterruptedException {
        TestWebSocket socket = TestWebSocket.connect(ws(), token);
        socket.awaitType("session.ready", WAIT);
        return socket;
    }
}
