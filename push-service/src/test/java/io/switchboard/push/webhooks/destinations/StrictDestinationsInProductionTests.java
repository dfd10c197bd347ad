package io.switchboard.push.webhooks.destinations;

import io.switchboard.push.webhooks.WebhookProperties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StrictDestinationsInProductionTests {

    @Test
    void theProdProfileRefusesToStartWithLoopbackAllowedButAcceptsPrivateNetworks() {
        StrictDestinationsInProduction production = new StrictDestinationsInProduction();

        assertThatThrownBy(() -> production.webhookDestinationsCheck(allowing("10.1.0.0/16,127.0.0.0/8")).afterPropertiesSet())
                .hasMessageContaining("SWITCHBOARD_WEBHOOKS_ALLOWED_NETWORKS");
        assertThatCode(() -> production.webhookDestinationsCheck(allowing("10.1.0.0/16")).afterPropertiesSet())
                .doesNotThrowAnyException();
    }

    private static WebhookProperties allowing(String networks) {
        return new Binder(new MapConfigurationPropertySource(Map.of("switchboard.webhooks.allowed-networks", networks)))
                .bind("switchboard.webhooks", WebhookProperties.class).get();
    }
}
