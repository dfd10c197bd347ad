package io.switchboard.auth;

import io.switchboard.platform.kafka.KafkaTopicsProperties;
import io.switchboard.platform.kafka.TopicDeclarations;
import io.switchboard.schemas.Topics;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

/** The topics auth-service writes. */
@Configuration(proxyBeanMethods = false)
class AuthTopics {

    @Bean
    KafkaAdmin.NewTopics authServiceTopics(KafkaTopicsProperties properties) {
        return TopicDeclarations.of(properties, Topics.AUTH_APPS);
    }
}
