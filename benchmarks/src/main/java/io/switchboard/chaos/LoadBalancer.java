package io.switchboard.chaos;

import io.switchboard.stack.ManagedProcess;
import io.switchboard.stack.Net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * HAProxy in front of each service's instances, as a Kubernetes Service is in front of its pods:
 * a request or WebSocket goes only to an instance whose readiness probe answers 200 (checked every
 * second, two failures take it out, two successes put it back), and a connection an instance
 * refuses is retried on the other. Clients and the services themselves reach each service through
 * it, so readiness decides who gets traffic as it does in a deployment.
 */
final class LoadBalancer implements AutoCloseable {

    /** One backend instance: its API port and the management port its readiness is read on. */
    record Backend(String name, int port, int managementPort) {
    }

    /** A service's front port and its instances. */
    record Frontend(String name, int port, List<Backend> backends) {
    }

    private final ManagedProcess process;

    private LoadBalancer(ManagedProcess process) {
        this.process = process;
    }

    static LoadBalancer start(Path directory, List<Frontend> frontends) {
        Path config = directory.resolve("haproxy.cfg");
        try {
            Files.writeString(config, configuration(frontends));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ManagedProcess process = ManagedProcess.start("haproxy", List.of(executable(), "-db", "-f", config.toString()),
                Map.of(), directory, directory.resolve("logs/haproxy.log"));
        for (Frontend frontend : frontends) {
            Net.await("HAProxy on port " + frontend.port(), Duration.ofSeconds(20), process,
                    () -> Net.isListening(frontend.port()));
        }
        return new LoadBalancer(process);
    }

    private static String configuration(List<Frontend> frontends) {
        String defaults = String.join("\n",
                "global",
                "  maxconn 4000",
                "defaults",
                "  mode http",
                "  timeout connect 2s",
                "  timeout client 120s",
                "  timeout server 120s",
                // an open WebSocket is a tunnel: it lives as long as its client and server keep it
                "  timeout tunnel 1h",
                "  timeout check 2s",
                // a refused connection is tried again on the other instance (the request was not sent)
                "  retries 2",
                "  option redispatch",
                "");
        return defaults + frontends.stream().map(LoadBalancer::section).collect(Collectors.joining());
    }

    private static String section(Frontend frontend) {
        StringBuilder section = new StringBuilder()
                .append("frontend ").append(frontend.name()).append('\n')
                .append("  bind ").append(Net.LOOPBACK).append(':').append(frontend.port()).append('\n')
                .append("  default_backend ").append(frontend.name()).append("-instances\n")
                .append("backend ").append(frontend.name()).append("-instances\n")
                .append("  balance leastconn\n")
                .append("  option httpchk GET /actuator/health/readiness\n")
                .append("  default-server inter 1s fall 2 rise 2\n");
        for (Backend backend : frontend.backends()) {
            section.append("  server ").append(backend.name()).append(' ').append(Net.LOOPBACK).append(':')
                    .append(backend.port()).append(" check port ").append(backend.managementPort()).append('\n');
        }
        return section.toString();
    }

    private static String executable() {
        for (String candidate : List.of("/usr/sbin/haproxy", "/usr/local/sbin/haproxy", "/usr/bin/haproxy")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new IllegalStateException("The chaos suite puts HAProxy in front of the services' instances: "
                + "install it (Debian: apt-get install haproxy)");
    }

    @Override
    public void close() {
        process.close();
    }
}
