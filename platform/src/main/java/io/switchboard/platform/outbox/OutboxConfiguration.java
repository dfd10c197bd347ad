package io.switchboard.platform.outbox;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The transactional outbox of a service that publishes events about its own state. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(OutboxProperties.class)
public class OutboxConfiguration {

    @Bean
    OutboxRelay outboxRelay(JdbcClient jdbc, PlatformTransactionManager transactionManager,
                            KafkaTemplate<String, Object> kafka, OutboxProperties properties, MeterRegistry meters) {
        return new OutboxRelay(jdbc, new TransactionTemplate(transactionManager), kafka, properties, meters);
    }

    @Bean
    Outbox outbox(JdbcClient jdbc, JdbcTemplate batches, OutboxRelay relay) {
        return new Outbox(jdbc, batches, relay);
    }
}
