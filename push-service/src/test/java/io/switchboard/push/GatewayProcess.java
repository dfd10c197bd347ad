package io.switchboard.push;

import io.switchboard.platform.testing.TestHttp;
import io.switchboard.stack.Java;
import io.switchboard.stack.ManagedProcess;
import io.switchboard.stack.Net;
import org.springframework.core.env.Environment;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Another push-service instance with its own gateway ordinal, in a child JVM on this test's class
 * path, against the same broker, registry, database and token issuer as the test's own instance
 * (gateway 0). A child process, so that a test can crash it for real ({@link #crash()}: SIGKILL,
 * no shutdown hook, nothing withdrawn).
 */
final class GatewayProcess implements AutoCloseable {

    /** Properties of the test context the child shares: where the real parts are. */
    private static final List<String> SHARED = List.of("spring.kafka.bootstrap-servers", "spring.datasource.url",
            "switchboard.registry.url", "switchboard.security.issuer", "switchboard.security.jwk-set-uri");

    private final int gateway;
    private final int port;
    private final int managementPort;
    private final ManagedProcess process;

    private GatewayProcess(int gateway, int port, int managementPort, ManagedProcess process) {
        this.gateway = gateway;
        this.port = port;
        this.managementPort = managementPort;
        this.process = process;
    }

    /**
     * Starts gateway {@code gateway} and waits until it reports ready (its views caught up).
     *
     * @param settings further Spring properties, e.g. a gateway-expiry of its own
     */
    static GatewayProcess start(Environment testContext, int gateway, Map<String, String> settings) {
        int port = Net.freePort();
        int managementPort = Net.freePort();
        Map<String, String> properties = new LinkedHashMap<>();
        SHARED.forEach(name -> properties.put(name, testContext.getRequiredProperty(name)));
        properties.put("server.port", Integer.toString(port));
        properties.put("management.server.port", Integer.toString(managementPort));
        properties.put("switchboard.push.gateway-ordinal", Integer.toString(gateway));
        // the database is shared with every other test JVM on the machine: take few of its connections
        properties.put("spring.datasource.hikari.maximum-pool-size", "2");
        properties.putAll(settings);
        List<String> arguments = new ArrayList<>(List.of("-cp", Java.absoluteClassPath(), PushServiceApplication.class.getName()));
        properties.forEach((name, value) -> arguments.add("--" + name + "=" + value));
        Path log = Path.of("target", "gateway-" + gateway + "-" + System.currentTimeMillis() + ".log").toAbsolutePath();
        ManagedProcess process = ManagedProcess.start("push-service gateway " + gateway,
                Java.command(List.of("-Xmx512m", "-XX:TieredStopAtLevel=1"), arguments), Map.of(), Path.of("target"), log);
        GatewayProcess started = new GatewayProcess(gateway, port, managementPort, process);
        Net.await("gateway " + gateway + " readiness", Duration.ofSeconds(120), process,
                () -> Net.httpStatus(started.managementUrl() + "/actuator/health/readiness") == 200);
        return started;
    }

    int gateway() {
        return gateway;
    }

    String webSocketUrl() {
        return "ws://127.0.0.1:" + port + "/v1/ws";
    }

    /** Its actuator (readiness, metrics), on the management port. */
    String managementUrl() {
        return "http://127.0.0.1:" + managementPort;
    }

    /**
     * The sum of a counter over the series whose labels contain {@code labels} (e.g.
     * {@code reason="previous-run"}), from the instance's Prometheus endpoint; 0 when absent.
     */
    double counter(String prometheusName, String labels) {
        String body = new TestHttp(managementUrl()).get("/actuator/prometheus", null).body();
        Matcher line = Pattern.compile("(?m)^" + Pattern.quote(prometheusName) + "\\{([^}]*)} (\\S+)$").matcher(body);
        double sum = 0;
        while (line.find()) {
            if (line.group(1).contains(labels)) {
                sum += Double.parseDouble(line.group(2));
            }
        }
        return sum;
    }

    /** Kills the JVM at once, as a crash or an OOM kill would: it withdraws nothing, it just stops. */
    void crash() {
        process.kill();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Stops it the polite way (SIGTERM: graceful shutdown). */
    @Override
    public void close() {
        process.stop(Duration.ofSeconds(30));
    }
}
