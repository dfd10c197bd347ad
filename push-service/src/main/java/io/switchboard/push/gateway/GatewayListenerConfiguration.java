package io.switchboard.push.gateway;

import io.switchboard.platform.kafka.PerPollCommits;
import org.springframework.boot.kafka.autoconfigure.ConcurrentKafkaListenerContainerFactoryConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;

/**
 * The gateway's container commits its offset once per poll. A delivery is done once written to
 * the sessions held here; a crash redelivers at most one poll, whose frames the client drops by
 * {@code seq} (and the sessions are gone anyway: clients resume from history). One commit per
 * delivery would cap a gateway at what synchronous commits allow (~120 deliveries/s here).
 */
@Configuration(proxyBeanMethods = false)
class GatewayListenerConfiguration {

    static final String FACTORY = "gatewayListenerContainerFactory";

    @Bean(FACTORY)
    ConcurrentKafkaListenerContainerFactory<Object, Object> gatewayListenerContainerFactory(
            ConcurrentKafkaListenerContainerFactoryConfigurer configurer, ConsumerFactory<Object, Object> consumers) {
        return PerPollCommits.containerFactory(configurer, consumers);
    }
}
