package io.switchboard.platform.kafka;

import org.springframework.boot.kafka.autoconfigure.ConcurrentKafkaListenerContainerFactoryConfigurer;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.ContainerProperties;

/**
 * Listener containers that commit offsets once per poll instead of once per record (the platform
 * default), with Boot's settings and the service's error handler. Only for listeners whose
 * handling is idempotent or whose redelivery is harmless: a crash redelivers the poll's records,
 * and a synchronous commit no longer sits on every record's path.
 */
public final class PerPollCommits {

    private PerPollCommits() {
    }

    public static ConcurrentKafkaListenerContainerFactory<Object, Object> containerFactory(
            ConcurrentKafkaListenerContainerFactoryConfigurer configurer, ConsumerFactory<Object, Object> consumers) {
        ConcurrentKafkaListenerContainerFactory<Object, Object> factory = new ConcurrentKafkaListenerContainerFactory<>();
        configurer.configure(factory, consumers);
        factory.getContainerProperties().setAckMode(ContainerProperties.AckMode.BATCH);
        return factory;
    }
}
