package io.switchboard.platform.security;

import io.switchboard.platform.directory.UsersView;
import io.switchboard.platform.directory.UsersViewConfiguration;
import io.switchboard.platform.kafka.KafkaTopicsProperties;
import io.switchboard.platform.kafka.TopicDeclarations;
import io.switchboard.schemas.Topics;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * The user lifecycle every service honours in tokens: the users view ({@code membership.users}),
 * the revocations view ({@code auth.revocations}) and the token check built on them. Both topics
 * are declared here, by every service, so that no service waits at start for another to create them.
 */
@Configuration(proxyBeanMethods = false)
@Import(UsersViewConfiguration.class)
public class UserAccessConfiguration {

    @Bean
    RevocationsView revocationsView(KafkaProperties kafkaProperties) {
        return new RevocationsView(kafkaProperties);
    }

    @Bean
    UserAccessValidator userAccessValidator(UsersView users, RevocationsView revocations) {
        return new UserAccessValidator(users, revocations);
    }

    @Bean
    KafkaAdmin.NewTopics userAccessTopics(KafkaTopicsProperties properties) {
        return TopicDeclarations.of(properties, Topics.MEMBERSHIP_USERS, Topics.AUTH_REVOCATIONS);
    }
}
