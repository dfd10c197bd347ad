package io.switchboard.platform.kafka;

import io.switchboard.events.integration.BusinessEvent;
import io.switchboard.platform.security.ResourceServerConfiguration;
import io.switchboard.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.listener.CommonErrorHandler;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The smallest service with the platform's Kafka and security configuration: it consumes
 * {@code integration.events} and, like routing, rejects the events of apps it does not know.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({ResourceServerConfiguration.class, KafkaPlatformConfiguration.class})
class DeadLettersTestApplication {

    static final String PROPERTIES = """
            spring.config.import=classpath:switchboard-defaults.yml
            spring.application.name=deadletters-test
            spring.kafka.consumer.group-id=deadletters-test
            switchboard.security.audience=message-service
            management.endpoint.health.group.readiness.include=readinessState,db,kafka,views
            """;

    @Bean
    KafkaAdmin.NewTopics topics(KafkaTopicsProperties properties) {
        return TopicDeclarations.of(properties, Topics.INTEGRATION_EVENTS, Topics.INTEGRATION_EVENTS_DLT, Topics.AUTH_APPS);
    }

    @Bean
    CommonErrorHandler kafkaErrorHandler(DeadLetters deadLetters) {
        return deadLetters.errorHandler();
    }

    @Bean
    EventsOfKnownApps eventsOfKnownApps() {
        return new EventsOfKnownApps();
    }

    static class EventsOfKnownApps {

        final Set<String> knownApps = ConcurrentHashMap.newKeySet();
        final List<ConsumerRecord<String, BusinessEvent>> processed = new CopyOnWriteArrayList<>();

        @KafkaListener(topics = "#{T(io.switchboard.schemas.Topics).INTEGRATION_EVENTS.name()}")
        void onEvent(ConsumerRecord<String, BusinessEvent> record) {
            if (!knownApps.contains(record.value().getAppId())) {
                throw new UnprocessableRecordException("unknown-app", "No such app");
            }
            processed.add(record);
        }
    }
}
