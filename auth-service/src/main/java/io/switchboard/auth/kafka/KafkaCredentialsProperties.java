package io.switchboard.auth.kafka;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * How apps' Kafka credentials are made and what their holders are told.
 *
 * @param provisioner        who creates the SCRAM user, its ACLs and quotas: {@code admin-api},
 *                           auth-service itself with Kafka's Admin API (the local stack, compose, any
 *                           Kafka that is not run by Strimzi); {@code strimzi}, Strimzi's User Operator
 *                           from the KafkaUser resources auth-service writes (Kafka run by Strimzi on
 *                           Kubernetes, where that operator owns users and ACLs)
 * @param bootstrapServers   where upstream producers connect, as told in each new credential (the
 *                           broker's SASL listener, not the services' own)
 * @param securityProtocol   what producers connect with: {@code SASL_SSL} outside a cluster,
 *                           {@code SASL_PLAINTEXT} on the local stack's loopback listener
 * @param schemaRegistryUrl  the registry's Confluent-compatible API, as told in each new credential
 * @param partitions         partitions of an app's topics when they are created (with its first
 *                           credential), unless the request names a count
 * @param maxPartitions      the most partitions a request may ask for
 * @param maxPerApp          active credentials an app may hold at once (two are enough to rotate)
 * @param producerByteRate   bytes per second each credential may produce, enforced by the brokers
 *                           (the {@code producer_byte_rate} quota), so one app's flood is throttled
 *                           before it slows the others
 * @param requestPercentage  share of one broker thread's time each credential's requests may take
 *                           per quota window ({@code request_percentage}), against floods of small
 *                           requests that the byte rate does not catch; a whole number with
 *                           {@code strimzi}, whose quotas are integers
 * @param kubernetesNamespace with {@code strimzi}: where the KafkaUser resources and their password
 *                           Secrets go, which must be the namespace the User Operator watches. Unset or empty:
 *                           the Kubernetes client's namespace, which in a pod is the service account's
 *                           (read from {@code /var/run/secrets/kubernetes.io/serviceaccount/namespace}),
 *                           so auth-service deployed next to the Kafka cluster needs no setting
 * @param strimziCluster     with {@code strimzi}: the Kafka resource's name, set as the
 *                           {@code strimzi.io/cluster} label by which the User Operator picks its users
 * @param strimziReadyTimeout with {@code strimzi}: how long a grant, suspension or resumption waits for
 *                           the User Operator to report the KafkaUser ready; the credential is
 *                           answered only once Kafka knows it, and a request that waited longer fails
 *                           with {@code kafka-unavailable}
 */
@ConfigurationProperties("switchboard.kafka-credentials")
public record KafkaCredentialsProperties(@DefaultValue("admin-api") Provisioner provisioner,
                                         String bootstrapServers,
                                         @DefaultValue("SASL_SSL") String securityProtocol,
                                         String schemaRegistryUrl,
                                         @DefaultValue("3") int partitions,
                                         @DefaultValue("48") int maxPartitions,
                                         @DefaultValue("2") int maxPerApp,
                                         @DefaultValue("1048576") long producerByteRate,
                                         @DefaultValue("25") double requestPercentage,
                                         String kubernetesNamespace,
                                         @DefaultValue("switchboard") String strimziCluster,
                                         @DefaultValue("30s") Duration strimziReadyTimeout) {

    public enum Provisioner { ADMIN_API, STRIMZI }

    public KafkaCredentialsProperties {
        if (bootstrapServers == null || bootstrapServers.isBlank() || schemaRegistryUrl == null || schemaRegistryUrl.isBlank()) {
            throw new IllegalArgumentException("switchboard.kafka-credentials.bootstrap-servers and schema-registry-url "
                    + "are required: they tell upstream producers where to connect");
        }
        if (partitions < 1 || partitions > maxPartitions) {
            throw new IllegalArgumentException("switchboard.kafka-credentials.partitions (" + partitions
                    + ") must be between 1 and max-partitions (" + maxPartitions + ")");
        }
        if (maxPerApp < 1 || producerByteRate < 1 || requestPercentage <= 0 || !strimziReadyTimeout.isPositive()) {
            throw new IllegalArgumentException("switchboard.kafka-credentials: max-per-app, producer-byte-rate, "
                    + "request-percentage and strimzi-ready-timeout must be positive");
        }
        if (provisioner == Provisioner.STRIMZI && (strimziCluster == null || strimziCluster.isBlank()
                || producerByteRate > Integer.MAX_VALUE || requestPercentage != Math.rint(requestPercentage))) {
            throw new IllegalArgumentException("switchboard.kafka-credentials with provisioner strimzi: strimzi-cluster "
                    + "is required, producer-byte-rate must fit in an int and request-percentage must be a whole "
                    + "number (Strimzi's quotas are integers)");
        }
    }
}
