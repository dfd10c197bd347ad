package io.switchboard.auth;

import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * auth-service on an embedded KRaft broker, the shared Apicurio Registry and a fresh PostgreSQL
 * schema; every test class extending this shares one running service.
 */
@EmbeddedKafka(partitions = 1)
abstract class AuthServiceTest extends AuthServiceTestSupport {

    @DynamicPropertySource
    static void embeddedBroker(DynamicPropertyRegistry registry) {
        infrastructure(registry, () -> System.getProperty(EmbeddedKafkaBroker.SPRING_EMBEDDED_KAFKA_BROKERS));
    }
}
