package io.switchboard.platform.erasure;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Deleting an app erases its data in every service: each service reads {@code auth.apps} in its
 * own consumer group ({@code switchboard.erasure.group-id}); the platform's repeatable migration
 * creates the {@code app_erasures} table that keeps the audit record of each erasure.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AppErasureProperties.class)
public class AppErasureConfiguration {

    @Bean
    AppErasures appErasures(JdbcClient jdbc, JdbcTemplate metadata, PlatformTransactionManager transactionManager,
                            ObjectProvider<AppDataEraser> erasers, AppErasureProperties properties, MeterRegistry meters,
                            ApplicationEventPublisher events) {
        return new AppErasures(jdbc, metadata, new TransactionTemplate(transactionManager),
                erasers.orderedStream().toList(), properties, meters, events);
    }

    @Bean
    AppErasureJob appErasureJob(AppErasures erasures, AppErasureProperties properties) {
        return new AppErasureJob(erasures, properties);
    }

    @Bean
    AppTombstonesListener appTombstonesListener(AppErasures erasures, AppErasureJob job) {
        return new AppTombstonesListener(erasures, job);
    }
}
