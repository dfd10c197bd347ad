package io.switchboard.auth.kafka;

import io.switchboard.platform.kafka.KafkaTopicsProperties;
import org.apache.kafka.clients.admin.Admin;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(KafkaCredentialsProperties.class)
class KafkaCredentialsConfiguration {

    /** An Admin client of auth-service's own principal, with the same settings as Spring's {@link KafkaAdmin}. */
    @Bean(destroyMethod = "close")
    Admin kafkaCredentialsAdmin(KafkaAdmin kafkaAdmin) {
        return Admin.create(kafkaAdmin.getConfigurationProperties());
    }

    @Bean
    AppTopicsCreator appTopicsCreator(Admin kafkaCredentialsAdmin, KafkaTopicsProperties topicSettings) {
        return new AppTopicsCreator(kafkaCredentialsAdmin, topicSettings);
    }

    @Bean
    KafkaAccess kafkaAccess(Admin kafkaCredentialsAdmin, KafkaCredentialsProperties settings) {
        return switch (settings.provisioner()) {
            case ADMIN_API -> new AdminApiKafkaAccess(kafkaCredentialsAdmin);
        };
    }
}
