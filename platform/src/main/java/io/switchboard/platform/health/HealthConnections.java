package io.switchboard.platform.health;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import javax.sql.DataSource;

/**
 * The readiness checks' own connection to the service's database, a pool of one with the
 * service's pool settings. Borrowed from the service's pool, a check waited behind request
 * traffic whenever every connection was busy and reported a busy database as a down one.
 * Deliberately not a {@link DataSource} bean, which would take the place of the service's own.
 */
public final class HealthConnections implements AutoCloseable {

    private final HikariDataSource dataSource;

    HealthConnections(HikariDataSource servicePool) {
        HikariConfig config = new HikariConfig();
        servicePool.copyStateTo(config);
        config.setPoolName(servicePool.getPoolName() + "-health");
        config.setMaximumPoolSize(1);
        config.setMinimumIdle(1);
        // a check gives up quickly: a database that cannot hand out its one connection in 2 s is DOWN
        config.setConnectionTimeout(2_000);
        config.setValidationTimeout(1_000);
        config.setRegisterMbeans(false);
        this.dataSource = new HikariDataSource(config);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
