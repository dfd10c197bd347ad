package io.switchboard.push;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PushPropertiesTests {

    @Test
    void gatewayExpiryDefaultsToSixHeartbeats() {
        PushProperties properties = bind(Map.of());

        assertThat(properties.gatewayHeartbeat()).isEqualTo(Duration.ofSeconds(5));
        assertThat(properties.gatewayExpiry()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aGatewayExpiryShorterThanTwoHeartbeatsIsRefused() {
        assertThatThrownBy(() -> bind(Map.of("switchboard.push.gateway-heartbeat", "5s",
                "switchboard.push.gateway-expiry", "8s")))
                .isInstanceOf(BindException.class)
                .rootCause().hasMessageContaining("gateway-expiry (PT8S) must be at least twice");
    }

    @Test
    void clientFramesAreReadThroughASmallBufferAndJoinedUpToTwoMillionCharacters() {
        PushProperties properties = bind(Map.of());

        assertThat(properties.clientFrameBufferChars()).isEqualTo(1024);
        assertThat(properties.clientMessageMaxChars()).isEqualTo(2_097_152);
        assertThat(properties.clientMessageAssemblyBudgetChars()).isEqualTo(33_554_432L);
    }

    @Test
    void aClientMessageLimitBelowTheFrameBufferOrAboveTheBudgetIsRefused() {
        assertThatThrownBy(() -> bind(Map.of("switchboard.push.client-message-max-chars", "512")))
                .isInstanceOf(BindException.class)
                .rootCause().hasMessageContaining("client-message-max-chars (512) must be at least client-frame-buffer-chars");
        assertThatThrownBy(() -> bind(Map.of("switchboard.push.client-message-assembly-budget-chars", "1000000")))
                .isInstanceOf(BindException.class)
                .rootCause().hasMessageContaining("at most client-message-assembly-budget-chars (1000000)");
    }

    private static PushProperties bind(Map<String, String> settings) {
        return new Binder(new MapConfigurationPropertySource(settings))
                .bindOrCreate("switchboard.push", PushProperties.class);
    }
}
