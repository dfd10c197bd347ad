package io.switchboard.auth.kafka;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.switchboard.platform.kafka.KafkaTopicsProperties;
import io.switchboard.schemas.registry.ConfluentRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
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

    /** The registry's Confluent API as the services reach it (not the URL told to producers, which may differ). */
    @Bean
    AppSchemas appSchemas(@Value("${switchboard.registry.url}") String registryUrl) {
        return new AppSchemas(new ConfluentRegistry(registryUrl + "/apis/ccompat/v7"));
    }

    /**
     * Kubernetes as the pod's service account reaches it (else the kubeconfig), only for the
     * {@code strimzi} provisioner: the default path runs without Kubernetes.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "switchboard.kafka-credentials.provisioner", havingValue = "strimzi")
    KubernetesClient kafkaCredentialsKubernetesClient() {
        return new KubernetesClientBuilder().build();
    }

    @Bean
    KafkaAccess kafkaAccess(Admin kafkaCredentialsAdmin, ObjectProvider<KubernetesClient> kubernetesClient,
                            KafkaCredentialsProperties settings) {
        return switch (settings.provisioner()) {
            case ADMIN_API -> new AdminApiKafkaAccess(kafkaCredentialsAdmin);
            case STRIMZI -> new StrimziKafkaAccess(kubernetesClient.getObject(), settings);
        };
    }
}
