package io.switchboard.push.webhooks.destinations;

import io.switchboard.push.webhooks.WebhookProperties;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * The prod profile refuses to start when deliveries could reach the service's own machine: an
 * {@code allowed-networks} entry covering loopback exists for development and tests only.
 */
@Configuration(proxyBeanMethods = false)
@Profile("prod")
class StrictDestinationsInProduction {

    @Bean
    InitializingBean webhookDestinationsCheck(WebhookProperties properties) {
        return () -> {
            if (DestinationPolicy.allowsLoopback(properties.allowedNetworks())) {
                throw new IllegalStateException("The prod profile refuses webhook deliveries to loopback: remove the "
                        + "loopback block from SWITCHBOARD_WEBHOOKS_ALLOWED_NETWORKS (now: " + properties.allowedNetworks() + ")");
            }
        };
    }
}
