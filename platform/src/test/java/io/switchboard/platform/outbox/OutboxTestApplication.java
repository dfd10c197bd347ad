package io.switchboard.platform.outbox;

import io.switchboard.platform.kafka.KafkaPlatformConfiguration;
import io.switchboard.platform.kafka.KafkaTopicsProperties;
import io.switchboard.platform.kafka.TopicDeclarations;
import io.switchboard.platform.security.ResourceServerConfiguration;
import io.switchboard.schemas.Topics;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.core.KafkaAdmin;

/** The smallest service with an outbox, on the platform's Kafka configuration; its deadletters endpoint exposed on the management port. */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({ResourceServerConfiguration.class, KafkaPlatformConfiguration.class, OutboxConfiguration.class})
class OutboxTestApplication {

    static final String PROPERTIES = """
            spring.config.import=classpath:switchboard-defaults.yml
            spring.application.name=outbox-test
            switchboard.security.audience=outbox-test
            management.server.port=0
            management.endpoints.web.exposure.include=health,prometheus,deadletters
            switchboard.outbox.max-backoff=500ms
            """;

    @Bean
    KafkaAdmin.NewTopics topics(KafkaTopicsProperties properties) {
        return TopicDeclarations.of(properties, Topics.INTEGRATION_EVENTS);
    }
}
