package io.switchboard.platform.health;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.jdbc.health.DataSourceHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;
import java.time.Duration;

/**
 * Readiness's {@code db} check, in place of Spring Boot's: run periodically over the checks' own
 * connection ({@link HealthConnections}, {@link PeriodicHealth}), so a probe answers at once and a
 * busy pool does not make the instance look down.
 */
@Configuration(proxyBeanMethods = false)
public class DatabaseReadinessConfiguration {

    @Bean(destroyMethod = "close")
    HealthConnections healthConnections(DataSource dataSource) throws java.sql.SQLException {
        return new HealthConnections(dataSource.unwrap(HikariDataSource.class));
    }

    /** Named so that Spring Boot's own {@code db} indicator backs off. */
    @Bean("dbHealthIndicator")
    PeriodicHealth dbHealthIndicator(HealthConnections connections,
                                     @Value("${switchboard.readiness.check-interval:2s}") Duration interval,
                                     @Value("${switchboard.readiness.check-max-age:20s}") Duration maxAge) {
        return new PeriodicHealth("db", new DataSourceHealthIndicator(connections.dataSource()), interval, maxAge);
    }
}
