package io.switchboard.auth;

import io.switchboard.platform.apps.AppStateConfiguration;
import io.switchboard.platform.erasure.AppErasureConfiguration;
import io.switchboard.platform.kafka.KafkaPlatformConfiguration;
import io.switchboard.platform.outbox.OutboxConfiguration;
import io.switchboard.platform.production.ProductionSettings;
import io.switchboard.platform.security.UserAccessConfiguration;
import io.switchboard.platform.web.ApiConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;

/** auth-service: apps and their certificates, app and user tokens, signing keys and JWKS. */
@SpringBootApplication
@ConfigurationPropertiesScan
@Import({ApiConfiguration.class, AppStateConfiguration.class, UserAccessConfiguration.class, OutboxConfiguration.class,
        KafkaPlatformConfiguration.class, ProductionSettings.class, AppErasureConfiguration.class})
public class AuthServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(AuthServiceApplication.class, args);
    }
}
