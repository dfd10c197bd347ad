package io.switchboard.message;

import io.switchboard.platform.erasure.AppErasureConfiguration;
import io.switchboard.platform.kafka.DeadLetters;
import io.switchboard.platform.kafka.KafkaPlatformConfiguration;
import io.switchboard.platform.kafka.KafkaTopicsProperties;
import io.switchboard.platform.kafka.TopicDeclarations;
import io.switchboard.platform.membership.MembershipViewConfiguration;
import io.switchboard.platform.outbox.OutboxConfiguration;
import io.switchboard.platform.production.ProductionSettings;
import io.switchboard.platform.security.ResourceServerConfiguration;
import io.switchboard.schemas.Topics;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.scheduling.annotation.EnableScheduling;

/** message-service: the message log of every conversation, its history, and business-event routing. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
@Import({MembershipViewConfiguration.class, ResourceServerConfiguration.class, OutboxConfiguration.class,
        KafkaPlatformConfiguration.class, ProductionSettings.class, AppErasureConfiguration.class})
public class MessageServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(MessageServiceApplication.class, args);
    }

    @Bean
    KafkaAdmin.NewTopics messageServiceTopics(KafkaTopicsProperties properties) {
        return TopicDeclarations.of(properties, Topics.INTEGRATION_EVENTS, Topics.INTEGRATION_EVENTS_DLT,
                Topics.CHAT_MESSAGES, Topics.MEMBERSHIP_CHANGES, Topics.MEMBERSHIP_MEMBERS, Topics.MEMBERSHIP_REQUESTS,
                Topics.CHAT_CARD_UPDATES, Topics.CHAT_CARD_UPDATES_DLT);
    }

    /** Bad records go to the dead-letter topic; outages are retried (see {@link DeadLetters}). */
    @Bean
    CommonErrorHandler kafkaErrorHandler(DeadLetters deadLetters) {
        return deadLetters.errorHandler();
    }
}
