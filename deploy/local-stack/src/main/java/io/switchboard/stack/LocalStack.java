package io.switchboard.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/**
 * The README's first command: the whole system on one machine with embedded defaults. Starts a
 * real Kafka broker (KRaft), Apicurio Registry (schemas kept in a file in the data folder) and the four services on
 * embedded H2 databases, all data under one folder ({@code .switchboard/} by default), prints every
 * URL and a ready line, and stops everything on Ctrl-C.
 *
 * <p>Ports: {@code SWITCHBOARD_KAFKA_PORT} (9092), {@code SWITCHBOARD_KAFKA_CONTROLLER_PORT}
 * (9093), {@code SWITCHBOARD_KAFKA_UPSTREAM_PORT} (9094, SASL/SCRAM for upstream producers),
 * {@code SWITCHBOARD_REGISTRY_PORT} (8080), {@code SWITCHBOARD_AUTH_PORT} (8081),
 * {@code SWITCHBOARD_MEMBERSHIP_PORT} (8082), {@code SWITCHBOARD_MESSAGE_PORT} (8083),
 * {@code SWITCHBOARD_PUSH_PORT} (8084); data folder: {@code SWITCHBOARD_DATA_DIR}.
 */
public final class LocalStack {

    /** Printed, followed by the start time, once every service is ready. */
    public static final String READY_LINE = "Switchboard is ready in ";

    /** How often a running stack's readiness is looked at, to report a service that stops being ready. */
    private static final int READINESS_CHECK_SECONDS = 5;

    /**
     * Every child JVM's options but Kafka's: a small heap, the quick compiler only and the serial
     * collector, which start fastest on a small machine; the services' {@link AotCache}s are trained with them.
     */
    static final List<String> JVM_OPTIONS = List.of("-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    private static volatile boolean stopping;

    private LocalStack() {
    }

    public static void main(String[] args) throws InterruptedException {
        long startedAt = System.nanoTime();
        Path project = Path.of(System.getProperty("switchboard.project.dir", ".")).toAbsolutePath().normalize();
        Path data = Path.of(env("SWITCHBOARD_DATA_DIR", project.resolve(".switchboard").toString())).toAbsolutePath();
        Map<StackService, Integer> ports = new EnumMap<>(StackService.class);
        for (StackService service : StackService.values()) {
            ports.put(service, port("SWITCHBOARD_" + service.name() + "_PORT", service.defaultPort()));
        }
        int kafkaPort = port("SWITCHBOARD_KAFKA_PORT", 9092);
        int controllerPort = port("SWITCHBOARD_KAFKA_CONTROLLER_PORT", 9093);
        int upstreamPort = port("SWITCHBOARD_KAFKA_UPSTREAM_PORT", 9094);
        int registryPort = port("SWITCHBOARD_REGISTRY_PORT", 8080);
        refuseBusyPorts(List.of(kafkaPort, controllerPort, upstreamPort, registryPort), ports);

        Path adminPasswordFile = data.resolve("admin-password");
        Stack.Config config = config(project, data, kafkaPort, controllerPort, upstreamPort, registryPort, ports,
                adminPassword(adminPasswordFile));

        System.out.println("Starting Switchboard (data in " + data + ", logs in " + data.resolve("logs") + ")");
        Stack stack;
        try {
            stack = Stack.start(config, (part, elapsed) -> System.out.printf(Locale.ROOT, "  %-20s up at %5.1f s%n",
                    part, elapsed.toMillis() / 1e3));
        } catch (RuntimeException e) {
            System.err.println("Switchboard failed to start: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping = true;
            System.out.println("Stopping Switchboard...");
            stack.close();
            System.out.println("Stopped.");
            stopped.countDown();
        }, "stop-switchboard"));

        printUrls(stack, adminPasswordFile);
        writeParts(stack, project.resolve("target/switchboard-stack.parts"));
        System.out.printf(Locale.ROOT, "%s%.1f s. Press Ctrl-C to stop.%n", READY_LINE,
                (System.nanoTime() - startedAt) / 1e9);
        watch(stack, stopped);
    }

    private static void printUrls(Stack stack, Path adminPasswordFile) {
        String registry = stack.registry().url();
        System.out.println();
        System.out.println("  Kafka               " + stack.kafkaBootstrapServers() + "  (Switchboard's services)");
        System.out.println("  Kafka for upstream  " + stack.kafkaUpstreamBootstrapServers()
                + "  (SASL_PLAINTEXT, SCRAM-SHA-512: your app's Kafka credentials, POST /v1/kafka-credentials)");
        System.out.println("  Schema registry     " + registry + "/apis/ccompat/v7  (Confluent API; Apicurio: /apis/registry/v3)");
        System.out.println("  auth-service        " + stack.url(StackService.AUTH)
                + "  (admin user 'admin', password in " + adminPasswordFile + ")");
        System.out.println("  membership-service  " + stack.url(StackService.MEMBERSHIP));
        System.out.println("  message-service     " + stack.url(StackService.MESSAGE));
        System.out.println("  push-service        " + stack.url(StackService.PUSH)
                + "  (WebSocket " + stack.url(StackService.PUSH).replace("http", "ws") + "/v1/ws)");
        System.out.println("  end-user page       " + stack.url(StackService.PUSH) + "/  (sign in with a user token)");
        System.out.println("  health and metrics  " + Arrays.stream(StackService.values())
                .map(service -> stack.managementUrl(service) + "/actuator").collect(Collectors.joining(" ")));
        System.out.println();
    }

    /**
     * The local stack's settings on the given ports: embedded databases, schemas kept in a file (they
     * survive a restart), JVMs tuned to start quickly ({@code ./switchboard bench start} measures it).
     */
    public static Stack.Config config(Path project, Path data, int kafkaPort, int controllerPort, int upstreamPort,
                                      int registryPort, Map<StackService, Integer> ports, String adminPassword) {
        return new Stack.Config(project, data, kafkaPort, controllerPort, upstreamPort, registryPort, ports, true,
                service -> Map.of(), adminPassword, JVM_OPTIONS, Duration.ofMinutes(4), service -> List.of(), AotCache.USE);
    }

    /**
     * What {@code ./switchboard status} and {@code logs} read: a line per part, tab-separated: its
     * name, address, the URL that answers 200 when it is ready ({@code -} for Kafka: its port
     * answers), its process id and its log file.
     */
    private static void writeParts(Stack stack, Path file) {
        List<String> lines = new java.util.ArrayList<>();
        ManagedProcess kafka = stack.kafkaProcess();
        lines.add(String.join("\t", "kafka", stack.kafkaBootstrapServers(), "-", Long.toString(kafka.pid()),
                kafka.logFile().toString()));
        ManagedProcess registry = stack.registry().process();
        lines.add(String.join("\t", "apicurio-registry", stack.registry().url(),
                stack.registry().url() + "/apis/registry/v3/system/info", Long.toString(registry.pid()),
                registry.logFile().toString()));
        for (StackService service : StackService.values()) {
            ManagedProcess process = stack.process(service);
            lines.add(String.join("\t", service.module(), stack.url(service),
                    stack.managementUrl(service) + "/actuator/health/readiness", Long.toString(process.pid()),
                    process.logFile().toString()));
        }
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, lines);
        } catch (IOException e) {
            System.err.println("Could not write " + file + " (./switchboard status and logs read it): " + e.getMessage());
        }
    }

    /**
     * Reports a child that dies, and a service whose readiness turns DOWN or UP again, while the stack
     * runs (a jar rebuilt under it, a thread that died, Kafka out of reach); returns when it is stopped.
     */
    private static void watch(Stack stack, CountDownLatch stopped) throws InterruptedException {
        boolean reported = false;
        Map<StackService, Boolean> ready = new EnumMap<>(StackService.class);
        for (StackService service : StackService.values()) {
            ready.put(service, true);
        }
        for (long second = 1; !stopped.await(1, java.util.concurrent.TimeUnit.SECONDS); second++) {
            var dead = stack.deadProcess();
            if (dead.isPresent() && !reported && !stopping) {
                System.err.println(dead.get().name() + " exited; see " + dead.get().logFile());
                reported = true;
            }
            if (second % READINESS_CHECK_SECONDS != 0 || stopping) {
                continue;
            }
            for (StackService service : StackService.values()) {
                boolean now = stack.isReady(service);
                if (now != ready.put(service, now) && !stopping) {
                    System.err.println(now ? service.module() + " is ready again"
                            : service.module() + " is not ready: " + stack.managementUrl(service)
                            + "/actuator/health/readiness says why");
                }
            }
        }
    }

    private static void refuseBusyPorts(List<Integer> infrastructurePorts, Map<StackService, Integer> ports) {
        List<Integer> all = new java.util.ArrayList<>(infrastructurePorts);
        all.addAll(ports.values());
        ports.keySet().forEach(service -> {
            if (ports.get(service) == service.defaultPort()) {
                all.add(service.defaultManagementPort());
            }
        });
        List<Integer> busy = all.stream().filter(Net::isListening).toList();
        if (!busy.isEmpty()) {
            System.err.println("Ports already in use: " + busy + ". Stop what uses them, or choose other ports "
                    + "(SWITCHBOARD_*_PORT environment variables).");
            System.exit(1);
        }
    }

    /** The admin password of this data folder, generated on first start and kept readable only by its owner. */
    private static String adminPassword(Path file) {
        try {
            if (Files.isRegularFile(file)) {
                return Files.readString(file).strip();
            }
            Files.createDirectories(file.getParent());
            byte[] bytes = new byte[18];
            new SecureRandom().nextBytes(bytes);
            String password = HexFormat.of().formatHex(bytes);
            Files.writeString(file, password + "\n");
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the file keeps the folder's permissions
            }
            return password;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int port(String variable, int defaultPort) {
        return Integer.parseInt(env(variable, Integer.toString(defaultPort)));
    }

    private static String env(String variable, String defaultValue) {
        String value = System.getenv(variable);
        return value == null || value.isBlank() ? defaultValue : value;
    }
}
