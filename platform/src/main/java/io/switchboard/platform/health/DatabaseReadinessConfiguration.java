package io.switchboard.platform.health;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.health.DataSourceHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;

/**
 * Readiness's {@code db} check, in place of Spring Boot's: run periodically over the checks' own
 * connection ({@link HealthConnections}, {@link PeriodicHealth}), so a probe answers at once and a
 * busy pool does not make the instance look down.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ReadinessCheckProperties.class)
public class DatabaseReadinessConfiguration {

    @Bean(destroyMethod = "close")
    HealthConnections healthConnections(DataSource dataSource) throws java.sql.SQLException {
        return new HealthConnections(dataSource.unwrap(HikariDataSource.class));
    }

    /** Named so that Spring Boot's own {@code db} indicator backs off. */
    @Bean("dbHealthIndicator")
    PeriodicHealth dbHealthIndicator(HealthConnections connections, ReadinessCheckProperties settings) {
        return new PeriodicHealth("db", new DataSourceHealthIndicator(connections.dataSource()), settings);
    }
}
