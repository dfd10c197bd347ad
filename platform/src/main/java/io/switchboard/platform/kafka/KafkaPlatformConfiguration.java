package io.switchboard.platform.kafka;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.switchboard.platform.BackgroundWorker;
import io.switchboard.platform.health.CodeHealthIndicator;
import io.switchboard.platform.health.KafkaHealthIndicator;
import io.switchboard.platform.health.PeriodicHealth;
import io.switchboard.platform.health.ProducerHealth;
import io.switchboard.platform.health.ReadinessCheckProperties;
import io.switchboard.platform.health.ViewsHealthIndicator;
import io.switchboard.platform.health.WorkersHealthIndicator;
import io.switchboard.platform.outbox.OutboxDeadLetters;
import io.switchboard.schemas.Topics;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.ConcurrentKafkaListenerContainerFactoryConfigurer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Kafka pieces every service shares: dead-letter publishing and replay, per-poll offset commits,
 * topic creation settings and health.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({KafkaTopicsProperties.class, ReadinessCheckProperties.class})
public class KafkaPlatformConfiguration {

    @Bean
    DeadLetters deadLetters(KafkaProperties kafkaProperties, KafkaTemplate<String, Object> avroTemplate,
                            MeterRegistry meters) {
        Map<String, Object> properties = kafkaProperties.buildProducerProperties();
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return new DeadLetters(new DefaultKafkaProducerFactory<>(properties), avroTemplate, meters);
    }

    /**
     * The template's producer listener: it tells readiness whether sends still succeed, and logs
     * failed sends without the record (an outbox row or a dead letter may carry what a user wrote,
     * which no log line should).
     */
    @Bean("producerHealthIndicator")
    ProducerHealth kafkaProducerListener(@Value("${switchboard.kafka.producer-max-failing:60s}") Duration maxFailing) {
        return new ProducerHealth(maxFailing, java.time.Clock.systemUTC());
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
    DeadLettersEndpoint deadLettersEndpoint(DeadLetterReplay deadLetterReplay, ObjectProvider<OutboxDeadLetters> outbox) {
        return new DeadLettersEndpoint(deadLetterReplay, outbox.getIfAvailable(), Topics.all());
    }

    /** Readiness ({@code kafka}): the cluster answers a metadata request; read periodically, like the {@code db} check. */
    @Bean("kafkaHealthIndicator")
    PeriodicHealth kafkaHealthIndicator(KafkaAdmin kafkaAdmin, ReadinessCheckProperties settings) {
        return new PeriodicHealth("kafka", new KafkaHealthIndicator(kafkaAdmin), settings);
    }

    /** Readiness and liveness ({@code workers}): every background loop and Kafka listener container still runs. */
    @Bean
    WorkersHealthIndicator workersHealthIndicator(List<BackgroundWorker> workers,
                                                  ObjectProvider<KafkaListenerEndpointRegistry> listeners) {
        return new WorkersHealthIndicator(workers, listeners.getIfAvailable());
    }

    /** Readiness and liveness ({@code code}): the jar the service runs from was not replaced under it. */
    @Bean
    CodeHealthIndicator codeHealthIndicator() {
        return CodeHealthIndicator.ofLaunchedJar();
    }

    @Bean
    ViewsHealthIndicator viewsHealthIndicator(List<CompactedTopicView<?>> views,
                                              @Value("${switchboard.views.max-staleness}") Duration maxStaleness) {
        return new ViewsHealthIndicator(views, maxStaleness);
    }

    /**
     * Per view: how many records it was behind at its latest look-up, how old its state may be,
     * and how many unreadable records it skipped.
     */
    @Bean
    MeterBinder viewMetrics(List<CompactedTopicView<?>> views) {
        return registry -> {
            for (CompactedTopicView<?> view : views) {
                Gauge.builder("switchboard.view.lag", view, v -> v.health().lag())
                        .description("Records the view was behind at its latest look-up of the topic's end")
                        .tag("view", view.name()).register(registry);
                Gauge.builder("switchboard.view.staleness", view,
                                v -> Duration.between(v.health().freshAsOf(), Instant.now()).toMillis() / 1000.0)
                        .description("Seconds since the newest moment the view is known to hold everything published")
                        .baseUnit("seconds").tag("view", view.name()).register(registry);
                FunctionCounter.builder("switchboard.view.skipped", view, CompactedTopicView::skipped)
                        .description("Records the view skipped because they can never be read")
                        .tag("view", view.name()).register(registry);
            }
        };
    }
}
