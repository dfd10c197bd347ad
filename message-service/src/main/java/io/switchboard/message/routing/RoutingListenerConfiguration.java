package io.switchboard.message.routing;

import io.switchboard.platform.kafka.PerPollCommits;
import org.springframework.boot.kafka.autoconfigure.ConcurrentKafkaListenerContainerFactoryConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;

/**
 * The routing consumer's containers: Boot's settings and the dead-letter error handler, but offsets
 * committed once per poll instead of once per record. That is safe here because routing is
 * idempotent per event and rule (a crash redelivers at most one poll, which routes nothing twice),
 * and it takes a synchronous commit off every event's path. Several consumers
 * ({@code switchboard.routing.concurrency}) route different partitions in parallel, since each event
 * mostly waits for PostgreSQL.
 */
@Configuration(proxyBeanMethods = false)
class RoutingListenerConfiguration {

    static final String FACTORY = "routingListenerContainerFactory";

    @Bean(FACTORY)
    ConcurrentKafkaListenerContainerFactory<Object, Object> routingListenerContainerFactory(
            ConcurrentKafkaListenerContainerFactoryConfigurer configurer, ConsumerFactory<Object, Object> consumers) {
        return PerPollCommits.containerFactory(configurer, consumers);
    }
}
