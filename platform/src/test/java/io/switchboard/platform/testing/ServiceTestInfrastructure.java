package io.switchboard.platform.testing;

import io.switchboard.stack.ApicurioRegistry;
import io.switchboard.platform.crypto.KeyEncryptionKeyset;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The real parts a single service's integration tests run against: an embedded (real KRaft)
 * Kafka broker from {@code @EmbeddedKafka}, the shared Apicurio Registry, a fresh schema in the
 * local PostgreSQL, and {@link TestTokenIssuer} in place of auth-service.
 */
public final class ServiceTestInfrastructure {

    private ServiceTestInfrastructure() {
    }

    /** The key-encryption keyset of message-service under test. */
    public static final String KEY_ENCRYPTION_KEYSET = KeyEncryptionKeyset.newKeysetJson();

    public static void register(DynamicPropertyRegistry registry, String schemaPrefix) {
        registry.add("spring.datasource.url", () -> TestPostgres.freshSchemaUrl(schemaPrefix));
        registry.add("spring.kafka.bootstrap-servers",
                () -> System.getProperty(EmbeddedKafkaBroker.SPRING_EMBEDDED_KAFKA_BROKERS));
        registry.add("switchboard.registry.url", () -> ApicurioRegistry.shared().url());
        registry.add("switchboard.security.issuer", () -> TestTokenIssuer.ISSUER);
        registry.add("switchboard.messages.key-encryption.keyset", () -> KEY_ENCRYPTION_KEYSET);
        registry.add("switchboard.security.jwk-set-uri", () -> TestTokenIssuer.shared().jwkSetUri());
    }
}
