package io.switchboard.push;

import io.switchboard.platform.testing.ServiceIntegrationTest;
import io.switchboard.platform.testing.TestApps;
import io.switchboard.platform.testing.TestWebSocket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Heartbeats, token expiry and in-band refresh on the real gateway over real WebSockets, with the
 * test timings of {@code config/application.yml}: a ping every second, a session silent for 3 s is
 * closed, {@code auth.expiring} 2 s before the token expires.
 */
class SessionLivenessWebSocketTests extends ServiceIntegrationTest {

    static final Duration WAIT = Duration.ofSeconds(20);

    @BeforeEach
    void activeApps() {
        TestApps.active(appId);
        TestApps.active(otherAppId);
    }

    String ws() {
        return "ws://127.0.0.1:" + port + "/v1/ws";
    }

    TestWebSocket connect(String token) throws InterruptedException {
        TestWebSocket socket = TestWebSocket.connect(ws(), token);
        socket.awaitType("session.ready", WAIT);
        return socket;
    }

    @Test
    void aSessionIsToldBeforeItsTokenExpiresAndIsClosedWhenItDoes() throws Exception {
        try (TestWebSocket alice = connect(tokens.userTokenValidFor(Duration.ofSeconds(4), appId, "alice", "push:connect"))) {
            JsonNode expiring = alice.awaitType("auth.expiring", WAIT);
            Instant expiresAt = Instant.parse(expiring.get("expiresAt").asString());
            assertThat(expiresAt).isBetween(Instant.now().minusSeconds(1), Instant.now().plusSeconds(4));

            assertThat(alice.awaitClose(WAIT)).isEqualTo(4419);
            assertThat(Instant.now()).isAfterOrEqualTo(expiresAt);
        }
    }

    @Test
    void aRefreshedTokenKeepsTheSessionOpenPastTheFirstTokensExpiry() throws Exception {
        try (TestWebSocket alice = connect(tokens.userTokenValidFor(Duration.ofSeconds(3), appId, "alice", "push:connect"))) {
            alice.send("{\"type\":\"auth.refresh\",\"token\":\"" + tokens.userToken(appId, "alice", "push:connect") + "\"}");
            JsonNode refreshed = alice.awaitType("auth.refreshed", WAIT);
            assertThat(Instant.parse(refreshed.get("expiresAt").asString())).isAfter(Instant.now().plusSeconds(3000));

            await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(7)).until(alice::isOpen);
            alice.send("{\"type\":\"ping\"}");
            assertThat(alice.awaitType("pong", WAIT)).as("still open after the first token expired").isNotNull();
        }
    }

    @Test
    void aRefreshCannotMoveTheSessionToAnotherUserOrTakeAnInvalidToken() throws Exception {
        try (TestWebSocket alice = connect(tokens.userToken(appId, "alice", "push:connect"))) {
            assertThat(refusal(alice, tokens.userToken(appId, "bob", "push:connect"))).isEqualTo("token-other-session");
            assertThat(refusal(alice, tokens.userToken(otherAppId, "alice", "push:connect"))).isEqualTo("token-other-session");
            assertThat(refusal(alice, tokens.appToken(appId, "push:connect"))).isEqualTo("token-not-for-push");
            assertThat(refusal(alice, tokens.userToken(appId, "alice", "messages:read"))).isEqualTo("token-not-for-push");
            assertThat(refusal(alice, tokens.expiredUserToken(appId, "alice", "push:connect"))).isEqualTo("token-invalid");
            assertThat(refusal(alice, tokens.forgedAppToken(appId, "push:connect"))).isEqualTo("token-invalid");
            assertThat(refusal(alice, "")).isEqualTo("token-missing");
        }
    }

    @Test
    void framesThatAreNotJsonOrNotKnownGetAnErrorAndTheSessionStaysOpen() throws Exception {
        try (TestWebSocket alice = connect(tokens.userToken(appId, "alice", "push:connect"))) {
            alice.send("not json");
            assertThat(alice.awaitType("error", WAIT).get("code").asString()).isEqualTo("malformed-frame");
            alice.send("{\"type\":\"subscribe\"}");
            assertThat(alice.awaitType("error", WAIT).get("code").asString()).isEqualTo("unsupported-frame");
            alice.send("{\"type\":\"ping\"}");
            assertThat(alice.awaitType("pong", WAIT)).isNotNull();
        }
    }

    @Test
    void messagesLongerThanTheFrameBufferArriveInPartsAndAreAnswered() throws Exception {
        try (TestWebSocket alice = connect(tokens.userToken(appId, "alice", "push:connect"))) {
            alice.send(paddedPing(900));
            assertThat(alice.awaitType("pong", WAIT)).as("within client-frame-buffer-chars (1,024)").isNotNull();

            alice.send(paddedPing(1_500_000));
            assertThat(alice.awaitType("pong", WAIT)).as("one frame of 1.5 million characters").isNotNull();

            alice.sendFragmented(paddedPing(5_000), 700);
            assertThat(alice.awaitType("pong", WAIT)).as("one message in eight WebSocket frames").isNotNull();

            alice.send("{\"type\":\"ping\"}");
            assertThat(alice.awaitType("pong", WAIT)).as("a short frame after the long ones").isNotNull();
            assertThat(alice.pending()).as("each message answered once").isZero();
        }
    }

    @Test
    void aMessageOverTheClientMessageLimitClosesTheSessionWith1009AndTheLimit() throws Exception {
        try (TestWebSocket alice = connect(tokens.userToken(appId, "alice", "push:connect"))) {
            alice.send(paddedPing(2_097_152));

            assertThat(alice.awaitCloseStatus(WAIT)).isEqualTo("1009 message too big: at most 2097152 characters");
        }
    }

    /** A {@code ping} frame of more than {@code padding} characters. */
    private static String paddedPing(int padding) {
        return "{\"type\":\"ping\",\"padding\":\"" + "x".repeat(padding) + "\"}";
    }

    @Test
    void aLiveClientIsPingedAndKeptWhileAClientThatStopsAnsweringIsClosed() throws Exception {
        try (TestWebSocket answering = connect(tokens.userToken(appId, "alice", "push:connect"));
             SilentWebSocketClient silent = SilentWebSocketClient.connect(port, tokens.userToken(appId, "bob", "push:connect"), 0)) {
            long started = System.nanoTime();
            int closeCode = silent.readUntilClose(WAIT);
            Duration closedAfter = Duration.ofNanos(System.nanoTime() - started);

            assertThat(closeCode).isEqualTo(4408);
            assertThat(silent.pings()).as("pinged once a second before giving up").isGreaterThanOrEqualTo(2);
            assertThat(closedAfter).isLessThan(Duration.ofSeconds(6));
            // the JDK client answers pings by itself: its session outlived the silent one
            answering.send("{\"type\":\"ping\"}");
            assertThat(answering.awaitType("pong", WAIT)).isNotNull();
        }
    }

    @Test
    void permessageDeflateIsNegotiatedWhenTheClientOffersIt() throws Exception {
        String token = tokens.userToken(appId, "alice", "push:connect");
        try (SilentWebSocketClient offering = SilentWebSocketClient.connect(port, token, 0,
                "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n");
             SilentWebSocketClient plain = SilentWebSocketClient.connect(port, token, 0)) {
            assertThat(offering.handshakeResponse().toLowerCase(java.util.Locale.ROOT))
                    .contains("sec-websocket-extensions: permessage-deflate");
            assertThat(plain.handshakeResponse().toLowerCase(java.util.Locale.ROOT))
                    .doesNotContain("sec-websocket-extensions");
        }
    }

    private static String refusal(TestWebSocket socket, String token) throws InterruptedException {
        socket.send("{\"type\":\"auth.refresh\",\"token\":\"" + token + "\"}");
        return socket.awaitType("error", WAIT).get("code").asString();
    }
}
