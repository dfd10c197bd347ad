package io.switchboard.platform.outbox;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.switchboard.platform.health.DatabaseReadinessConfiguration;
import io.switchboard.platform.health.HealthConnections;
import io.switchboard.platform.health.PeriodicHealth;
import io.switchboard.platform.health.ReadinessCheckProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The transactional outbox of a service that publishes events about its own state. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(OutboxProperties.class)
@Import(DatabaseReadinessConfiguration.class)
public class OutboxConfiguration {

    @Bean
    OutboxDeadLetters outboxDeadLetters(JdbcClient jdbc, PlatformTransactionManager transactionManager, MeterRegistry meters,
                                        OutboxProperties properties) {
        return new OutboxDeadLetters(jdbc, new TransactionTemplate(transactionManager), meters, properties.maxAttempts());
    }

    @Bean
    OutboxRelay outboxRelay(JdbcClient jdbc, PlatformTransactionManager transactionManager,
                            KafkaTemplate<String, Object> kafka, OutboxDeadLetters deadLetters, OutboxProperties properties,
                            MeterRegistry meters) {
        return new OutboxRelay(jdbc, new TransactionTemplate(transactionManager), kafka, deadLetters, properties, meters);
    }

    @Bean
    Outbox outbox(JdbcClient jdbc, JdbcTemplate batches, OutboxRelay relay) {
        return new Outbox(jdbc, batches, relay);
    }

    @Bean
    OutboxBacklog outboxBacklog(HealthConnections connections, OutboxProperties properties) {
        return new OutboxBacklog(JdbcClient.create(connections.dataSource()), properties.maxDelay());
    }

    /**
     * Readiness ({@code outbox}): DOWN when the oldest row has waited longer than {@code max-delay};
     * read periodically, like the {@code db} check.
     */
    @Bean("outboxHealthIndicator")
    PeriodicHealth outboxHealthIndicator(OutboxBacklog backlog, ReadinessCheckProperties settings) {
        return new PeriodicHealth("outbox", backlog, settings);
    }

    @Bean
    MeterBinder outboxMetrics(OutboxBacklog backlog) {
        return registry -> {
            Gauge.builder("switchboard.outbox.backlog", backlog, b -> b.latest().rows())
                    .description("Outbox rows waiting to be published").register(registry);
            Gauge.builder("switchboard.outbox.oldest", backlog, b -> b.latest().oldest().toMillis() / 1000.0)
                    .description("How long the oldest outbox row has waited").baseUnit("seconds").register(registry);
            Gauge.builder("switchboard.outbox.dead.letters", backlog, b -> b.latest().deadLetters())
                    .description("Outbox rows set aside because they cannot be sent (replay with the deadletters endpoint)")
                    .register(registry);
        };
    }
}
