package io.switchboard.platform.production;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/** The prod profile's startup check, in a real application context. */
class ProductionSettingsTests {

    private static final String[] PRODUCTION = {
            "spring.kafka.bootstrap-servers=switchboard-kafka-bootstrap:9093",
            "switchboard.registry.url=http://apicurio-registry:8080",
            "switchboard.security.jwk-set-uri=http://auth-service:8081/oauth2/jwks",
            "spring.datasource.url=jdbc:postgresql://switchboard-db-rw:5432/switchboard"};

    private final ApplicationContextRunner prod = new ApplicationContextRunner()
            .withUserConfiguration(ProductionSettings.class)
            .withInitializer(context -> context.getEnvironment().setActiveProfiles("prod"));

    @Test
    void startsWithProductionSettings() {
        prod.withPropertyValues(PRODUCTION).withBean(DataSource.class, () -> mock(DataSource.class))
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void refusesTheDevelopmentDefaultsNamingEachVariable() {
        prod.withPropertyValues("spring.kafka.bootstrap-servers=127.0.0.1:9092",
                        "switchboard.registry.url=http://localhost:8080",
                        "switchboard.security.jwk-set-uri=http://127.0.0.1:8081/oauth2/jwks",
                        "spring.datasource.url=jdbc:h2:file:./.switchboard/db/message-service")
                .withBean(DataSource.class, () -> mock(DataSource.class))
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause().hasMessageContainingAll(
                            "SPRING_KAFKA_BOOTSTRAP_SERVERS must not point at this machine (now: 127.0.0.1:9092)",
                            "SWITCHBOARD_REGISTRY_URL must not point at this machine",
                            "SWITCHBOARD_SECURITY_JWK_SET_URI must not point at this machine",
                            "SPRING_DATASOURCE_URL must name the production database (now: an embedded H2 file)");
                });
    }

    @Test
    void pushServiceMustReachMessageServiceByItsName() {
        prod.withPropertyValues(PRODUCTION).withPropertyValues("spring.application.name=push-service")
                .withBean(DataSource.class, () -> mock(DataSource.class))
                .run(context -> assertThat(context.getStartupFailure()).rootCause().hasMessageContaining(
                        "SWITCHBOARD_PUSH_MESSAGE_SERVICE_URL must be set"));
        prod.withPropertyValues(PRODUCTION).withPropertyValues("spring.application.name=push-service",
                        "switchboard.push.message-service-url=http://message-service:8083")
                .withBean(DataSource.class, () -> mock(DataSource.class))
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void aServiceWithoutADatabaseNeedsNoDatasourceUrl() {
        prod.withPropertyValues(java.util.Arrays.copyOf(PRODUCTION, 3)).run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void otherProfilesAreNotChecked() {
        new ApplicationContextRunner().withUserConfiguration(ProductionSettings.class)
                .withPropertyValues("spring.kafka.bootstrap-servers=127.0.0.1:9092")
                .run(context -> assertThat(context).hasNotFailed());
    }
}
