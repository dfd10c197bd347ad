package io.switchboard.platform.membership;

import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The membership views of a service that follows membership-service (import it where needed). */
@Configuration(proxyBeanMethods = false)
public class MembershipViewConfiguration {

    @Bean
    ConversationsView conversationsView(KafkaProperties kafkaProperties) {
        return new ConversationsView(kafkaProperties);
    }

    @Bean
    MembersView membersView(KafkaProperties kafkaProperties) {
        return new MembersView(kafkaProperties);
    }

    @Bean
    MembershipView membershipView(ConversationsView conversations, MembersView members) {
        return new MembershipView(conversations, members);
    }
}
