package io.switchboard.platform.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.platform.health.KafkaHealthIndicator;
import io.switchboard.platform.health.ViewsHealthIndicator;
import io.switchboard.schemas.Topics;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.ConcurrentKafkaListenerContainerFactoryConfigurer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;

import java.util.List;
import java.util.Map;

/**
 * Kafka pieces every service shares: dead-letter publishing and replay, per-poll offset commits,
 * topic creation settings and health.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(KafkaTopicsProperties.class)
public class KafkaPlatformConfiguration {

    @Bean
    DeadLetters deadLetters(KafkaProperties kafkaProperties, KafkaTemplate<String, Object> avroTemplate,
                            MeterRegistry meters) {
        Map<String, Object> properties = kafkaProperties.buildProducerProperties();
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return new DeadLetters(new DefaultKafkaProducerFactory<>(properties), avroTemplate, meters);
    }

    @Bean(PerPollCommits.FACTORY)
    ConcurrentKafkaListenerContainerFactory<Object, Object> perPollCommitsContainerFactory(
            ConcurrentKafkaListenerContainerFactoryConfigurer configurer, ConsumerFactory<Object, Object> consumers) {
        return PerPollCommits.containerFactory(configurer, consumers);
    }

    @Bean
    DeadLetterReplay deadLetterReplay(KafkaProperties kafkaProperties) {
        return new DeadLetterReplay(kafkaProperties.buildConsumerProperties(), kafkaProperties.buildProducerProperties());
    }

    @Bean
    @ConditionalOnAvailableEndpoint
    DeadLettersEndpoint deadLettersEndpoint(DeadLetterReplay deadLetterReplay) {
        return new DeadLettersEndpoint(deadLetterReplay, Topics.all());
    }

    @Bean
    KafkaHealthIndicator kafkaHealthIndicator(KafkaAdmin kafkaAdmin) {
        return new KafkaHealthIndicator(kafkaAdmin);
    }

    @Bean
    ViewsHealthIndicator viewsHealthIndicator(List<CompactedTopicView<?>> views) {
        return new ViewsHealthIndicator(views);
    }
}
