package io.switchboard.stack;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The Spring properties that tie one service instance to the rest of a stack on this machine:
 * where Kafka, the registry and the other services are, and the development-only keysets in the
 * data folder. The same for the local stack and the chaos suite's two instances of each service
 * (which share the keysets, as replicas of a deployment share their secrets).
 *
 * @param kafkaBootstrapServers Kafka's bootstrap servers
 * @param kafkaUpstreamBootstrapServers Kafka's SASL/SCRAM listener for upstream producers
 * @param registryUrl           Apicurio Registry's base URL
 * @param urls                  the URL clients and the other services reach each service at
 * @param dataDirectory         where the keysets are created
 */
public record ServiceProperties(String kafkaBootstrapServers, String kafkaUpstreamBootstrapServers, String registryUrl, Map<StackService, String> urls,
                                Path dataDirectory) {

    public Map<String, String> of(StackService service) {
        Map<String, String> properties = new HashMap<>();
        properties.put("spring.kafka.bootstrap-servers", kafkaBootstrapServers);
        properties.put("switchboard.registry.url", registryUrl);
        properties.put("switchboard.security.jwk-set-uri", urls.get(StackService.AUTH) + "/oauth2/jwks");
        properties.put("switchboard.security.issuer", urls.get(StackService.AUTH));
        properties.put("switchboard.data-dir", dataDirectory.toAbsolutePath().toString());
        switch (service) {
            case AUTH -> {
                // development only: the keyset that encrypts certificates and signing keys is created in the data folder
                properties.put("switchboard.auth.key-encryption.keyset-file", keyset("auth-key-encryption-keyset.json"));
                properties.put("switchboard.auth.key-encryption.generate-if-missing", "true");
                // apps' Kafka credentials are for the loopback SASL listener, without TLS
                properties.put("switchboard.kafka-credentials.bootstrap-servers", kafkaUpstreamBootstrapServers);
                properties.put("switchboard.kafka-credentials.security-protocol", "SASL_PLAINTEXT");
            }
            case MESSAGE -> {
                // development only: the keyset that encrypts the apps' message keys is created in the data folder
                properties.put("switchboard.messages.key-encryption.keyset-file", keyset("message-key-encryption-keyset.json"));
                properties.put("switchboard.messages.key-encryption.generate-if-missing", "true");
                // the end-user page push-service serves calls message-service from push-service's origin
                properties.put("switchboard.http.cors.allowed-origins", urls.get(StackService.PUSH));
                // an app's topic, made with its first Kafka credential, is read within seconds (default 30 s)
                properties.put("switchboard.routing.topic-discovery-ms", "5000");
            }
            case PUSH -> {
                properties.put("switchboard.push.web-page.message-service-url", urls.get(StackService.MESSAGE));
                properties.put("switchboard.push.web-page.membership-service-url", urls.get(StackService.MEMBERSHIP));
                // resumes read what a reconnecting client missed from message-service's history
                properties.put("switchboard.push.message-service-url", urls.get(StackService.MESSAGE));
                // development only: the keyset that encrypts webhook secrets is created in the data folder,
                // and webhooks may be delivered to a server on this machine (plain http included)
                properties.put("switchboard.webhooks.key-encryption.keyset-file", keyset("webhook-key-encryption-keyset.json"));
                properties.put("switchboard.webhooks.key-encryption.generate-if-missing", "true");
                properties.put("switchboard.webhooks.allowed-networks", "127.0.0.0/8,::1/128");
            }
            case MEMBERSHIP -> {
                // the end-user page reads members' display names from push-service's origin
                properties.put("switchboard.http.cors.allowed-origins", urls.get(StackService.PUSH));
                properties.put("switchboard.directory.topic-discovery-ms", "5000");
            }
        }
        return properties;
    }

    private String keyset(String file) {
        return dataDirectory.resolve(file).toAbsolutePath().toString();
    }
}
