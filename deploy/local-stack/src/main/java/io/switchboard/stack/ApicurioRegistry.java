package io.switchboard.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Apicurio Registry 3.x from its Maven Central distribution ({@code quarkus-run.jar}) in a child
 * JVM, with global compatibility set to BACKWARD. Serves Apicurio's own API at
 * {@code /apis/registry/v3} (used by the services' serde) and the Confluent Schema Registry API
 * at {@code /apis/ccompat/v7} (used by upstream producers with Confluent-style serializers).
 */
public final class ApicurioRegistry implements AutoCloseable {

    /** System property naming the unpacked distribution; set by the build for tests. */
    public static final String HOME_PROPERTY = "switchboard.apicurio.home";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static ApicurioRegistry shared;

    private final ManagedProcess process;
    private final int port;

    private ApicurioRegistry(ManagedProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Where the registry keeps schemas: the choice costs start time (see {@link #start}). */
    public sealed interface Storage {

        /** Lost when the registry stops: for tests, whose topics die with them. */
        static Storage inMemory() {
            return new InMemory();
        }

        /** An H2 database file in {@code directory}: survives restarts and is ready in about 3 s. */
        static Storage file(Path directory) {
            return new File(directory);
        }

        /**
         * A Kafka topic ({@code kafkasql}), which the registry replays at each start: the local stack's
         * storage before the file, about 15-25 s slower to start, still used for data folders made then.
         */
        static Storage kafka(String bootstrapServers) {
            return new Kafka(bootstrapServers);
        }

        List<String> systemProperties();

        record InMemory() implements Storage {
            @Override
            public List<String> systemProperties() {
                return List.of();
            }
        }

        record File(Path directory) implements Storage {
            @Override
            public List<String> systemProperties() {
                // one process reads it, so a couple of connections, not the pool of 20 a server opens
                return List.of("-Dapicurio.datasource.url=jdbc:h2:file:" + directory.toAbsolutePath().resolve("registry"),
                        "-Dapicurio.datasource.jdbc.initial-size=2", "-Dapicurio.datasource.jdbc.min-size=2");
            }
        }

        record Kafka(String bootstrapServers) implements Storage {
            @Override
            public List<String> systemProperties() {
                return List.of("-Dapicurio.storage.kind=kafkasql", "-Dapicurio.kafkasql.bootstrap.servers=" + bootstrapServers);
            }
        }
    }

    /** Starts the registry and waits until it serves requests. */
    public static ApicurioRegistry start(Path home, int port, Storage storage, Path workDirectory,
                                         Path logFile, List<String> jvmOptions) {
        Path runner = home.resolve("quarkus-run.jar");
        if (!Files.isRegularFile(runner)) {
            throw new IllegalStateException("Apicurio Registry is not unpacked at " + home
                    + "; build the project first (./mvnw -pl deploy/local-stack package)");
        }
        List<String> jvm = new ArrayList<>(jvmOptions);
        jvm.addAll(List.of(
                "-Dquarkus.http.host=" + Net.LOOPBACK,
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.management.host=" + Net.LOOPBACK,
                "-Dquarkus.management.port=" + Net.freePort(),
                "-Dquarkus.log.level=WARN",
                "-Dquarkus.log.category.\"io.apicurio\".level=INFO",
                "-Dquarkus.banner.enabled=false"));
        jvm.addAll(storage.systemProperties());
        ManagedProcess process = ManagedProcess.start("apicurio-registry",
                Java.command(jvm, List.of("-jar", runner.toAbsolutePath().toString())),
                Map.of(), workDirectory, logFile);
        ApicurioRegistry registry = new ApicurioRegistry(process, port);
        try {
            Net.await("Apicurio Registry on port " + port, START_TIMEOUT, process,
                    () -> Net.httpStatus(registry.registryApiUrl() + "/system/info") == 200);
            registry.setGlobalCompatibility("BACKWARD");
        } catch (RuntimeException e) {
            process.close();
            throw e;
        }
        return registry;
    }

    /**
     * One in-memory registry for every test of this JVM, started on first use and stopped when the
     * JVM exits.
     */
    public static synchronized ApicurioRegistry shared() {
        if (shared == null) {
            Path work = Path.of(System.getProperty("java.io.tmpdir"));
            Path log = work.resolve("switchboard-apicurio-" + ProcessHandle.current().pid() + ".log");
            shared = start(locateHome(), Net.freePort(), Storage.inMemory(), work, log, List.of("-Xmx384m"));
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "stop-shared-registry"));
        }
        return shared;
    }

    /**
     * The unpacked distribution: the {@value #HOME_PROPERTY} system property, or
     * {@code target/apicurio-registry-*} in this directory or one of its parents.
     */
    public static Path locateHome() {
        String configured = System.getProperty(HOME_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Optional<Path> found = findIn(dir.resolve("target"));
            if (found.isPresent()) {
                return found.get();
            }
        }
        throw new IllegalStateException("Apicurio Registry distribution not found; set -D" + HOME_PROPERTY
                + " or build the project (./mvnw -pl deploy/local-stack package)");
    }

    private static Optional<Path> findIn(Path target) {
        if (!Files.isDirectory(target)) {
            return Optional.empty();
        }
        try (Stream<Path> entries = Files.list(target)) {
            return entries.filter(p -> p.getFileName().toString().startsWith("apicurio-registry-"))
                    .filter(p -> Files.isRegularFile(p.resolve("quarkus-run.jar")))
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Base URL, e.g. {@code http://127.0.0.1:8080}. */
    public String url() {
        return "http://" + Net.LOOPBACK + ":" + port;
    }

    /** Apicurio's own API, which the services' serde talks to. */
    public String registryApiUrl() {
        return url() + "/apis/registry/v3";
    }

    /** The Confluent Schema Registry compatible API. */
    public String confluentApiUrl() {
        return url() + "/apis/ccompat/v7";
    }

    public int port() {
        return port;
    }

    public ManagedProcess process() {
        return process;
    }

    private void setGlobalCompatibility(String level) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(confluentApiUrl() + "/config"))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"compatibility\":\"" + level + "\"}"))
                .build();
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("Could not set registry compatibility to " + level + ": HTTP "
                        + response.statusCode() + " " + response.body());
            }
        } catch (IOException e) {
            throw new IllegalStateException("Could not set registry compatibility: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(15));
    }
}
