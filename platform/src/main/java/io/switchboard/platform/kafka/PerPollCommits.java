package io.switchboard.platform.kafka;

import org.springframework.boot.kafka.autoconfigure.ConcurrentKafkaListenerContainerFactoryConfigurer;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.ContainerProperties;

/**
 * Listener containers that commit offsets once per poll instead of once per record (the platform
 * default), with Boot's settings and the service's error handler; every service has them as the
 * bean {@value #FACTORY}. Only for listeners whose handling is idempotent or whose redelivery is
 * harmless: a crash redelivers the poll's records, and a synchronous commit no longer sits on every
 * record's path (one per record capped a consumer at ~120 records/s on the development machine).
 * Batch listeners ({@link PollBatch}) commit this way too.
 */
public final class PerPollCommits {

    /** The bean name of the container factory, for {@code @KafkaListener(containerFactory = ...)}. */
    public static final String FACTORY = "perPollCommitsContainerFactory";

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
