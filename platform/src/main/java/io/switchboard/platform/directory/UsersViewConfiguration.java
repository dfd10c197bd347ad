package io.switchboard.platform.directory;

import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The users view of a service that follows membership-service's users, e.g. to resolve department
 * and tag targets and recipients' locales (import it where needed). Like every view it is part of
 * readiness: the service reports ready once the view has caught up with {@code membership.users}.
 */
@Configuration(proxyBeanMethods = false)
public class UsersViewConfiguration {

    @Bean
    UsersView usersView(KafkaProperties kafkaProperties) {
        return new UsersView(kafkaProperties);
    }
}
