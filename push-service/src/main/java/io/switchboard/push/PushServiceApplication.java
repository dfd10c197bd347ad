package io.switchboard.push;

import io.switchboard.platform.erasure.AppErasureConfiguration;
import io.switchboard.platform.health.DatabaseReadinessConfiguration;
import io.switchboard.platform.kafka.DeadLetters;
import io.switchboard.platform.kafka.KafkaPlatformConfiguration;
import io.switchboard.platform.kafka.KafkaTopicsProperties;
import io.switchboard.platform.kafka.TopicDeclarations;
import io.switchboard.platform.membership.MembershipViewConfiguration;
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

/**
 * push-service: the fanout stage (chat events to the gateways that hold the recipients'
 * sessions) and the gateway stage (WebSocket sessions of end users).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@Import({MembershipViewConfiguration.class, ResourceServerConfiguration.class, KafkaPlatformConfiguration.class,
        DatabaseReadinessConfiguration.class, ProductionSettings.class, AppErasureConfiguration.class})
public class PushServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(PushServiceApplication.class, args);
    }

    @Bean
    KafkaAdmin.NewTopics pushServiceTopics(KafkaTopicsProperties properties) {
        return TopicDeclarations.of(properties, Topics.CHAT_MESSAGES, Topics.CHAT_MESSAGES_DLT,
                Topics.MEMBERSHIP_CHANGES, Topics.MEMBERSHIP_MEMBERS, Topics.PRESENCE_CHANGES, Topics.PUSH_DELIVERIES, Topics.PUSH_DELIVERIES_DLT,
                Topics.PUSH_GATEWAYS, Topics.CHAT_CARD_UPDATES, Topics.PUSH_NOTIFICATION_OUTCOMES,
                Topics.PUSH_NOTIFICATION_OUTCOMES_DLT);
    }

    @Bean
    CommonErrorHandler kafkaErrorHandler(DeadLetters deadLetters) {
        return deadLetters.errorHandler();
    }
}
