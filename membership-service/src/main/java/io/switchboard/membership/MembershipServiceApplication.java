package io.switchboard.membership;

import io.switchboard.platform.erasure.AppErasureConfiguration;
import io.switchboard.platform.kafka.DeadLetters;
import io.switchboard.platform.kafka.KafkaPlatformConfiguration;
import io.switchboard.platform.kafka.KafkaTopicsProperties;
import io.switchboard.platform.kafka.TopicDeclarations;
import io.switchboard.platform.outbox.OutboxConfiguration;
import io.switchboard.platform.production.ProductionSettings;
import io.switchboard.platform.security.ResourceServerConfiguration;
import io.switchboard.schemas.Topics;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.listener.CommonErrorHandler;

/**
 * membership-service: users, conversations, their members and roles; publishes membership.changes,
 * membership.members and membership.users, provisions users from directory.users and opens system
 * conversations asked for on membership.requests.
 */
@SpringBootApplication
@Import({ResourceServerConfiguration.class, OutboxConfiguration.class,
        KafkaPlatformConfiguration.class, ProductionSettings.class, AppErasureConfiguration.class})
public class MembershipServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(MembershipServiceApplication.class, args);
    }

    @Bean
    KafkaAdmin.NewTopics membershipServiceTopics(KafkaTopicsProperties properties) {
        return TopicDeclarations.of(properties, Topics.DIRECTORY_USERS, Topics.DIRECTORY_USERS_DLT,
                Topics.MEMBERSHIP_CHANGES, Topics.MEMBERSHIP_MEMBERS, Topics.MEMBERSHIP_REQUESTS,
                Topics.MEMBERSHIP_REQUESTS_DLT);   // membership.users: every service declares it (UserAccessConfiguration)
    }

    /** Bad directory records and requests go to their dead-letter topics; outages are retried ({@link DeadLetters}). */
    @Bean
    CommonErrorHandler kafkaErrorHandler(DeadLetters deadLetters) {
        return deadLetters.errorHandler();
    }
}
