package io.switchboard.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One Switchboard service (a Spring Boot jar) in a child JVM, listening on loopback only. */
public final class ServiceProcess implements AutoCloseable {

    private final String name;
    private final int port;
    private final int managementPort;
    private final ManagedProcess process;

    private ServiceProcess(String name, int port, int managementPort, ManagedProcess process) {
        this.name = name;
        this.port = port;
        this.managementPort = managementPort;
        this.process = process;
    }

    /**
     * Starts the service on {@code port}; returns at once (see {@link #isReady()}).
     *
     * @param launch      what follows the JVM options: {@code -jar <jar>} (see {@link StackService#launch})
     * @param properties  Spring properties, passed as {@code --name=value} arguments
     * @param environment environment variables (secrets go here, never on the command line)
     */
    public static ServiceProcess start(String name, List<String> launch, int port, int managementPort, Map<String, String> properties,
                                       Map<String, String> environment, List<String> jvmOptions,
                                       Path workDirectory, Path logFile) {
        // loopback only: a developer's stack is not for the network it sits on
        List<String> arguments = new ArrayList<>(launch);
        arguments.addAll(List.of("--server.port=" + port,
                "--server.address=" + Net.LOOPBACK, "--management.server.port=" + managementPort,
                "--management.server.address=" + Net.LOOPBACK));
        properties.forEach((key, value) -> arguments.add("--" + key + "=" + value));
        ManagedProcess process = ManagedProcess.start(name, Java.command(jvmOptions, arguments), environment,
                workDirectory, logFile);
        return new ServiceProcess(name, port, managementPort, process);
    }

    public String name() {
        return name;
    }

    public String url() {
        return "http://" + Net.LOOPBACK + ":" + port;
    }

    public int port() {
        return port;
    }

    public ManagedProcess process() {
        return process;
    }

    /** The service's actuator, on its management port. */
    public String managementUrl() {
        return "http://" + Net.LOOPBACK + ":" + managementPort;
    }

    /** Whether the service's readiness probe answers UP (views caught up, database and Kafka reachable). */
    public boolean isReady() {
        return Net.httpStatus(managementUrl() + "/actuator/health/readiness") == 200;
    }

    public void awaitReady(Duration timeout) {
        Net.await(name + " readiness", timeout, process, this::isReady);
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(20));
    }
}
