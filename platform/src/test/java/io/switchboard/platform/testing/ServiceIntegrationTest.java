package io.switchboard.platform.testing;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import java.util.UUID;

/**
 * A service under test on real parts ({@link ServiceTestInfrastructure}), on a random port, with a
 * fresh app id per test and a second app for isolation checks. Test classes of one service that
 * extend this share one running service.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@EmbeddedKafka(partitions = 1)
public abstract class ServiceIntegrationTest {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        ServiceTestInfrastructure.register(registry, "svc");
    }

    @LocalServerPort
    protected int port;
    @Autowired
    private Environment environment;
    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    protected RequestMappingHandlerMapping mappings;

    protected final String appId = "app-" + UUID.randomUUID();
    protected final String otherAppId = "other-" + UUID.randomUUID();
    protected final TestTokenIssuer tokens = TestTokenIssuer.shared();

    protected TestHttp http() {
        return new TestHttp("http://127.0.0.1:" + port);
    }

    /**
     * The actuator's port: every service serves health details and metrics there only (the
     * application port, should a test put the actuator back there).
     */
    protected TestHttp management() {
        return new TestHttp("http://127.0.0.1:" + environment.getProperty("local.management.port", Integer.class, port));
    }
}
