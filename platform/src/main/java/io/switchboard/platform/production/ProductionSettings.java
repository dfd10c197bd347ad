package io.switchboard.platform.production;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertyResolver;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code prod} profile refuses to start on settings that only make sense on a developer's
 * machine, instead of quietly running on them: the defaults point Kafka, the schema registry and
 * auth-service's JWKS (and push-service's message-service) at 127.0.0.1, and without a datasource URL a service stores its data in an
 * embedded H2 file (in a pod, a scratch volume lost on restart). Every problem is reported at
 * once, by the environment variable that fixes it. (The token issuer is only a name that tokens
 * carry and services compare, so a single-host site may keep {@code http://localhost:8081}.)
 * Secrets a service cannot run without (the
 * key-encryption keyset, auth-service's admin password) are refused by the service itself, in
 * every profile.
 */
@Configuration(proxyBeanMethods = false)
@Profile("prod")
public class ProductionSettings {

    @Bean
    InitializingBean productionSettingsCheck(Environment environment, ObjectProvider<DataSource> dataSources) {
        return () -> {
            List<String> problems = problems(environment, dataSources.getIfAvailable() != null);
            if (!problems.isEmpty()) {
                throw new IllegalStateException("The prod profile refuses to start with development settings: "
                        + String.join("; ", problems));
            }
        };
    }

    /** What is wrong for production, one line per setting; empty when nothing is. */
    static List<String> problems(PropertyResolver environment, boolean usesDatabase) {
        List<String> problems = new ArrayList<>();
        notLoopback(environment, "spring.kafka.bootstrap-servers", "SPRING_KAFKA_BOOTSTRAP_SERVERS", problems);
        notLoopback(environment, "switchboard.registry.url", "SWITCHBOARD_REGISTRY_URL", problems);
        notLoopback(environment, "switchboard.security.jwk-set-uri", "SWITCHBOARD_SECURITY_JWK_SET_URI", problems);
        if ("push-service".equals(environment.getProperty("spring.application.name"))) {
            notLoopback(environment, "switchboard.push.message-service-url", "SWITCHBOARD_PUSH_MESSAGE_SERVICE_URL", problems);
        }
        if (usesDatabase) {
            String url = environment.getProperty("spring.datasource.url", "");
            if (url.isBlank() || url.startsWith("jdbc:h2:")) {
                problems.add("SPRING_DATASOURCE_URL must name the production database (now: "
                        + (url.isBlank() ? "unset" : "an embedded H2 file") + ")");
            }
        }
        return problems;
    }

    private static void notLoopback(PropertyResolver environment, String property, String variable, List<String> problems) {
        String value = environment.getProperty(property, "");
        String lower = value.toLowerCase(Locale.ROOT);
        if (value.isBlank()) {
            problems.add(variable + " must be set");
        } else if (lower.contains("127.0.0.1") || lower.contains("localhost") || lower.contains("[::1]")) {
            problems.add(variable + " must not point at this machine (now: " + value + ")");
        }
    }
}
