package io.switchboard.platform.apps;

import io.switchboard.platform.kafka.KafkaTopicsProperties;
import io.switchboard.platform.kafka.TopicDeclarations;
import io.switchboard.schemas.Topics;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

/** The app state every service honours: the {@code auth.apps} view and the token check built on it. */
@Configuration(proxyBeanMethods = false)
public class AppStateConfiguration {

    @Bean
    AppStateView appStateView(KafkaProperties kafkaProperties) {
        return new AppStateView(kafkaProperties);
    }

    @Bean
    AppAccessValidator appAccessValidator(AppStateView apps) {
        return new AppAccessValidator(apps);
    }

    @Bean
    KafkaAdmin.NewTopics appStateTopics(KafkaTopicsProperties properties) {
        return TopicDeclarations.of(properties, Topics.AUTH_APPS);
    }
}
