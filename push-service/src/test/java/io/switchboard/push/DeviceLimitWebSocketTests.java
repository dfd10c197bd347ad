package io.switchboard.push;

import io.switchboard.events.auth.AppState;
import io.switchboard.platform.apps.AppStateView;
import io.switchboard.platform.testing.ServiceIntegrationTest;
import io.switchboard.platform.testing.TestApps;
import io.switchboard.platform.testing.TestWebSocket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The app's cap on devices per user, enforced at the handshake. */
class DeviceLimitWebSocketTests extends ServiceIntegrationTest {

    static final Duration WAIT = Duration.ofSeconds(20);

    @Autowired
    AppStateView apps;

    @BeforeEach
    void appAllowsTwoDevicesPerUser() {
        TestApps.activeWithDeviceLimit(appId, 2);
        await().atMost(WAIT).until(() -> apps.find(appId).map(AppState::getMaxDevicesPerUser), Optional.of(2)::equals);
    }

    @Test
    void aThirdDeviceIsRefusedWhileMoreTabsOfAConnectedDeviceAreNot() throws Exception {
        try (TestWebSocket laptop = connect("laptop");
             TestWebSocket laptopSecondTab = connect("laptop");
             TestWebSocket phone = connect("phone");
             TestWebSocket tablet = TestWebSocket.connect(ws(), token("tablet"))) {
            assertThat(tablet.awaitClose(WAIT)).isEqualTo(4429);
            assertThat(laptopSecondTab.isOpen()).isTrue();

            phone.close();
            await().atMost(WAIT).until(() -> {
                try (TestWebSocket retry = TestWebSocket.connect(ws(), token("tablet"))) {
                    retry.awaitType("session.ready", Duration.ofSeconds(2));
                    return true;
                } catch (IllegalStateException | AssertionError notYet) {
                    return false;
                }
            });
        }
    }

    @Test
    void withoutALimitEveryDeviceConnects() throws Exception {
        TestApps.active(appId);
        await().atMost(WAIT).until(() -> apps.find(appId).map(AppState::getMaxDevicesPerUser).isEmpty());
        try (TestWebSocket laptop = connect("laptop");
             TestWebSocket phone = connect("phone");
             TestWebSocket tablet = connect("tablet")) {
            assertThat(tablet.isOpen()).isTrue();
        }
    }

    private TestWebSocket connect(String device) throws InterruptedException {
        TestWebSocket socket = TestWebSocket.connect(ws(), token(device));
        socket.awaitType("session.ready", WAIT);
        return socket;
    }

    private String ws() {
        return "ws://127.0.0.1:" + port + "/v1/ws";
    }

    private String token(String device) {
        return tokens.userTokenForDevice(appId, "alice", device, "push:connect");
    }
}
