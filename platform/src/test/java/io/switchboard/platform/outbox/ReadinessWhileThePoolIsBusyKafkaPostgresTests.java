package io.switchboard.platform.outbox;

import com.zaxxer.hikari.HikariDataSource;
import io.switchboard.platform.testing.ServiceIntegrationTest;
import io.switchboard.platform.testing.TestHttp;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

import javax.sql.DataSource;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A service whose every pooled connection is busy (a burst of requests) is busy, not down: its
 * readiness stays UP, because the {@code db} and {@code outbox} checks run over their own
 * connection. Borrowing from the service's pool, they waited its connection timeout (5 s) and
 * said DOWN, and the balancer took a busy instance out.
 */
@TestPropertySource(properties = OutboxTestApplication.PROPERTIES)
class ReadinessWhileThePoolIsBusyKafkaPostgresTests extends ServiceIntegrationTest {

    @Autowired
    DataSource dataSource;

    @Test
    void readinessStaysUpWhileEveryPooledConnectionIsBusy() throws Exception {
        int poolSize = dataSource.unwrap(HikariDataSource.class).getMaximumPoolSize();
        List<Connection> busy = new ArrayList<>();
        try {
            for (int i = 0; i < poolSize; i++) {
                busy.add(dataSource.getConnection());
            }
            long heldSince = System.nanoTime();
            // wait for a db and an outbox check that ran while the pool was exhausted
            await().atMost(Duration.ofSeconds(15)).until(() -> {
                JsonNode components = management().get("/actuator/health/readiness", null).json().path("components");
                long heldMillis = Duration.ofNanos(System.nanoTime() - heldSince).toMillis();
                return components.path("db").path("details").path("checkedMillisAgo").asLong(Long.MAX_VALUE) < heldMillis
                        && components.path("outbox").path("details").path("checkedMillisAgo").asLong(Long.MAX_VALUE) < heldMillis;
            });

            TestHttp.Response readiness = management().get("/actuator/health/readiness", null);
            assertThat(readiness.status()).isEqualTo(200);
            assertThat(readiness.json().path("components").path("db").path("status").asString()).isEqualTo("UP");
            assertThat(readiness.json().path("components").path("outbox").path("status").asString()).isEqualTo("UP");
        } finally {
            for (Connection connection : busy) {
                connection.close();
            }
        }
    }
}
