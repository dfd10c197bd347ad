package io.switchboard.bench;

import io.switchboard.client.Endpoints;
import io.switchboard.client.SwitchboardClient;
import io.switchboard.stack.Net;
import io.switchboard.stack.Stack;
import io.switchboard.stack.StackService;
import io.switchboard.stack.StartCaches;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The whole system started for one benchmark run, on this machine: Kafka, Apicurio and the four
 * services, each service on a fresh PostgreSQL schema ({@code BENCH_PG_URL}) that is dropped again
 * on {@link #close()}, on free ports, so a run never meets another run's data or ports.
 */
final class BenchStack implements AutoCloseable {

    static final String PG_URL = System.getenv().getOrDefault("BENCH_PG_URL",
            "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    private final Stack stack;
    private final SwitchboardClient client;
    private final String adminPassword;
    private final Map<StackService, String> schemas;

    private BenchStack(Stack stack, SwitchboardClient client, String adminPassword, Map<StackService, String> schemas) {
        this.stack = stack;
        this.client = client;
        this.adminPassword = adminPassword;
        this.schemas = schemas;
    }

    /** Starts everything and returns once every service is ready; drops the schemas again if that fails. */
    static BenchStack start() throws Exception {
        return start(List.of());
    }

    /**
     * Starts everything with push-service's JVM given {@code pushJvmOptions} too (after the
     * others, so its {@code -Xmx} wins), e.g. the heap for 100,000 connections.
     */
    static BenchStack start(List<String> pushJvmOptions) throws Exception {
        String password = "bench-" + UUID.randomUUID();
        Map<StackService, String> schemas = new EnumMap<>(StackService.class);
        Map<StackService, Integer> ports = new EnumMap<>(StackService.class);
        try {
            for (StackService service : StackService.values()) {
                schemas.put(service, createSchema("bench_" + service.module().replace("-service", "")));
                ports.put(service, Net.freePort());
            }
            Path data = Files.createTempDirectory("switchboard-bench");
            Stack stack = Stack.start(new Stack.Config(Path.of(System.getProperty("switchboard.project.dir", ".")),
                    data, Net.freePort(), Net.freePort(), Net.freePort(), Net.freePort(), ports, false,
                    service -> Map.of("spring.datasource.url", PG_URL + "&currentSchema=" + schemas.get(service),
                            "spring.datasource.hikari.maximum-pool-size", "24"),
                    password, jvmOptions(), Duration.ofMinutes(4),
                    service -> service == StackService.PUSH ? pushJvmOptions : List.of(), StartCaches.NONE));
            SwitchboardClient client = new SwitchboardClient(new Endpoints(stack.url(StackService.AUTH),
                    stack.url(StackService.MEMBERSHIP), stack.url(StackService.MESSAGE), stack.url(StackService.PUSH),
                    stack.kafkaBootstrapServers(), stack.registry().registryApiUrl()));
            return new BenchStack(stack, client, password, schemas);
        } catch (Exception | Error e) {
            schemas.values().forEach(BenchStack::dropSchema);
            throw e;
        }
    }

    /**
     * A new app whose request rate is high enough for load, so the benchmark measures the system
     * rather than the app's rate limit.
     */
    SwitchboardClient.App createApp(String name) throws InterruptedException {
        SwitchboardClient.App app = client.createApp(adminPassword, name);
        client.setRequestRate(adminPassword, app.appId(), 100_000);
        Thread.sleep(1000); // the new rate reaches every service through auth.apps
        return app;
    }

    SwitchboardClient client() {
        return client;
    }

    Stack stack() {
        return stack;
    }

    /** The process id of a service's JVM. */
    long pid(StackService service) {
        return stack.processes().stream().filter(p -> p.name().equals(service.module())).findFirst()
                .orElseThrow().pid();
    }

    /** A connection to a service's own schema, to read what it stored (e.g. when each stage happened). */
    Connection connection(StackService service) throws java.sql.SQLException {
        Connection connection = DriverManager.getConnection(PG_URL);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET search_path TO " + schemas.get(service));
        }
        return connection;
    }

    /** Where the services' databases live, without credentials, for the printed header. */
    static String databaseDescription() {
        return PG_URL.replaceAll("\\?.*", "");
    }

    /** The services' JVM options; {@code BENCH_JVM_OPTIONS} adds some, e.g. a flight recording to profile them. */
    private static List<String> jvmOptions() {
        List<String> options = new ArrayList<>(List.of("-Xmx768m"));
        String extra = System.getenv("BENCH_JVM_OPTIONS");
        if (extra != null && !extra.isBlank()) {
            options.addAll(List.of(extra.trim().split("\\s+")));
        }
        return options;
    }

    private static String createSchema(String prefix) throws Exception {
        String schema = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        try (Connection connection = DriverManager.getConnection(PG_URL); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        }
        return schema;
    }

    private static void dropSchema(String schema) {
        try (Connection connection = DriverManager.getConnection(PG_URL); Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (Exception e) {
            System.err.println("could not drop schema " + schema + ": " + e.getMessage());
        }
    }

    /** Stops every process of the stack, then drops the schemas. */
    @Override
    public void close() {
        try {
            client.close();
            stack.close();
        } finally {
            schemas.values().forEach(BenchStack::dropSchema);
        }
    }
}
