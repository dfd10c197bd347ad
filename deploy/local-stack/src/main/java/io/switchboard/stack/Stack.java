package io.switchboard.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * Kafka, Apicurio Registry and the four services, each in its own child process, started as soon
 * as what they need answers (the registry beside Kafka, the services once Kafka answers) and
 * stopped in reverse. Used by the local stack command and by the
 * end-to-end tests (which point the services at PostgreSQL instead of embedded databases).
 */
public final class Stack implements AutoCloseable {

    /**
     * What to start.
     *
     * @param projectDirectory   the repository root (service jars are found under it)
     * @param dataDirectory      where Kafka, the registry and the embedded databases keep data
     * @param kafkaPort          Kafka client port
     * @param controllerPort     KRaft controller port
     * @param kafkaUpstreamPort  Kafka's SASL/SCRAM listener for upstream producers
     * @param registryPort       Apicurio Registry port
     * @param servicePorts       port of each service
     * @param persistentRegistry keep schemas in the data folder (they survive restarts) instead of in memory
     * @param serviceProperties  extra Spring properties per service (e.g. a PostgreSQL URL)
     * @param adminPassword      auth-service's platform admin password
     * @param jvmOptions         options for every child JVM; Kafka's takes only their compiler and collector
     * @param readyTimeout       how long every part may take to become ready
     * @param serviceJvmOptions  options for one service's JVM, after {@code jvmOptions} (so a later
     *                           {@code -Xmx} wins), e.g. a larger heap for push-service under load
     * @param startCaches        whether the services and the registry run from, or record, their
     *                           {@link AotCache} (the local stack; trained with its JVM options)
     */
    public record Config(Path projectDirectory, Path dataDirectory, int kafkaPort, int controllerPort,
                         int kafkaUpstreamPort, int registryPort,
                         Map<StackService, Integer> servicePorts, boolean persistentRegistry,
                         Function<StackService, Map<String, String>> serviceProperties, String adminPassword,
                         List<String> jvmOptions, Duration readyTimeout,
                         Function<StackService, List<String>> serviceJvmOptions, StartCaches startCaches) {

        /** The same options for every service, no start caches. */
        public Config(Path projectDirectory, Path dataDirectory, int kafkaPort, int controllerPort,
                      int kafkaUpstreamPort, int registryPort, Map<StackService, Integer> servicePorts, boolean persistentRegistry,
                      Function<StackService, Map<String, String>> serviceProperties, String adminPassword,
                      List<String> jvmOptions, Duration readyTimeout) {
            this(projectDirectory, dataDirectory, kafkaPort, controllerPort, kafkaUpstreamPort, registryPort, servicePorts,
                    persistentRegistry,
                    serviceProperties, adminPassword, jvmOptions, readyTimeout, service -> List.of(), StartCaches.NONE);
        }
    }

    /** Told as each part of a start is up, with the time since the start began. */
    @FunctionalInterface
    public interface Progress {
        Progress SILENT = (part, elapsed) -> { };

        void ready(String part, Duration elapsed);
    }

    /** Beside a registry's stored schemas: which build's schemas were registered there last. */
    private static final String SCHEMAS_STAMP = "schemas-registered-from";
    /** The topic the registry's {@code kafkasql} storage writes (Apicurio's default name). */
    private static final String KAFKASQL_JOURNAL = "kafkasql-journal";

    private final Config config;
    /** Each service's actuator port: the default beside a default port, else a free one. */
    private final Map<StackService, Integer> managementPorts = new EnumMap<>(StackService.class);
    private final Map<StackService, ServiceProcess> services = new EnumMap<>(StackService.class);
    private KafkaBroker kafka;
    /** Set by the thread that starts it, beside Kafka's. */
    private volatile ApicurioRegistry registry;

    private Stack(Config config) {
        this.config = config;
        for (StackService service : StackService.values()) {
            managementPorts.put(service, port(service) == service.defaultPort() ? service.defaultManagementPort()
                    : Net.freePort());
        }
    }

    /** Starts everything and returns once every service reports ready; stops what it started on failure. */
    public static Stack start(Config config) {
        return start(config, Progress.SILENT);
    }

    /** Like {@link #start(Config)}, telling {@code progress} as each part is up. */
    public static Stack start(Config config, Progress progress) {
        Stack stack = new Stack(config);
        try {
            stack.startAll(progress);
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    private void startAll(Progress progress) {
        long start = System.nanoTime();
        Path data = config.dataDirectory();
        keepPrivate(data);
        ApicurioRegistry.Storage storage = registryStorage(data, config.persistentRegistry(), config.kafkaPort());
        // kept in a file or in memory, the schemas need no Kafka: the registry starts beside the broker
        CompletableFuture<Void> schemas = storage instanceof ApicurioRegistry.Storage.Kafka
                ? null : CompletableFuture.runAsync(() -> startRegistry(storage, progress, start));
        try {
            kafka = KafkaBroker.start(data, config.kafkaPort(), config.controllerPort(), config.kafkaUpstreamPort(),
                    kafkaJvmOptions());
        } catch (RuntimeException e) {
            if (schemas != null) {
                try {
                    awaitAll(List.of(schemas));   // so that close() finds the registry too
                } catch (RuntimeException registryFailure) {
                    e.addSuppressed(registryFailure);
                }
            }
            throw e;
        }
        progress.ready("Kafka", since(start));
        if (schemas == null) {
            schemas = CompletableFuture.runAsync(() -> startRegistry(storage, progress, start));
        }
        // the services need the registry only for their first record (and wait out its absence
        // then), so they start now rather than after it: their start is the longest step
        for (StackService service : StackService.values()) {
            startService(service);
        }
        List<CompletableFuture<Void>> parts = new ArrayList<>(List.of(schemas));
        services.forEach((service, process) -> parts.add(CompletableFuture.runAsync(() -> {
            process.awaitReady(config.readyTimeout());
            progress.ready(service.module(), since(start));
        })));
        awaitAll(parts);
    }

    /**
     * The broker's own heap, with the compiler and collector the stack chose for every JVM (the
     * local stack's quick compiler and serial collector spend less CPU while it starts); not their heap.
     */
    private List<String> kafkaJvmOptions() {
        List<String> options = new ArrayList<>(List.of("-Xmx512m"));
        config.jvmOptions().stream()
                .filter(option -> option.startsWith("-XX:TieredStopAtLevel=") || option.matches("-XX:\\+Use\\w+GC"))
                .forEach(options::add);
        return options;
    }

    private void startRegistry(ApicurioRegistry.Storage storage, Progress progress, long start) {
        Path home = ApicurioRegistry.locateHome();
        List<String> jvmOptions = new ArrayList<>(config.jvmOptions());
        jvmOptions.addAll(config.startCaches().registry(home));
        registry = ApicurioRegistry.start(home, config.registryPort(), storage,
                config.dataDirectory(), config.dataDirectory().resolve("logs/apicurio-registry.log"), jvmOptions);
        progress.ready("schema registry", since(start));
        registerSchemas(storage);
        progress.ready("schemas registered", since(start));
    }

    /** Waits for every part, then fails with the first part's own reason rather than the wrapper. */
    private static void awaitAll(List<CompletableFuture<Void>> parts) {
        try {
            CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /**
     * A data folder whose schemas an earlier version kept in Kafka keeps them there: the records
     * in its topics name those schemas' ids, which a new, empty store would not know.
     */
    static ApicurioRegistry.Storage registryStorage(Path data, boolean persistent, int kafkaPort) {
        if (!persistent) {
            return ApicurioRegistry.Storage.inMemory();
        }
        return Files.isDirectory(data.resolve("kafka-logs/" + KAFKASQL_JOURNAL + "-0"))
                ? ApicurioRegistry.Storage.kafka(Net.LOOPBACK + ":" + kafkaPort)
                : ApicurioRegistry.Storage.file(data.resolve("registry"));
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /**
     * What compose's and Kubernetes' {@code registry-setup} job does, from the same jar: every
     * topic's schema is in the registry before anything produces, so producers that only look
     * schemas up ({@code auto.register.schemas=false}, {@code use.latest.version=true}) work at once.
     */
    private void registerSchemas(ApicurioRegistry.Storage storage) {
        Path jar = StackService.MESSAGE.jar(config.projectDirectory());
        // a registry that keeps its schemas in the data folder already has those of an unchanged build
        Path stamp = storage instanceof ApicurioRegistry.Storage.File file ? file.directory().resolve(SCHEMAS_STAMP) : null;
        String registeredFrom = jar.toAbsolutePath() + " " + fileVersion(jar);
        if (stamp != null && registeredFrom.equals(readIfExists(stamp))) {
            return;
        }
        ManagedProcess.run("register-schemas", Java.command(
                        List.of("-Dloader.main=io.switchboard.schemas.registry.RegisterSchemas", "-cp", jar.toAbsolutePath().toString()),
                        List.of("org.springframework.boot.loader.launch.PropertiesLauncher", registry.confluentApiUrl())),
                config.dataDirectory(), config.dataDirectory().resolve("logs/register-schemas.log"), Duration.ofMinutes(1));
        if (stamp != null) {
            try {
                Files.writeString(stamp, registeredFrom);
            } catch (IOException e) {
                throw new UncheckedIOException("Could not write " + stamp, e);
            }
        }
    }

    private static String fileVersion(Path file) {
        try {
            return Files.size(file) + " " + Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readIfExists(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The data folder holds keysets, the admin password, databases and logs: only its owner may
     * enter it, whatever the files inside were created with (the launcher also starts with umask 077).
     */
    private static void keepPrivate(Path data) {
        try {
            Files.createDirectories(data);
            Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the folder keeps its permissions
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the data folder " + data, e);
        }
    }

    private void startService(StackService service) {
        List<String> jvmOptions = new ArrayList<>(config.jvmOptions());
        jvmOptions.addAll(config.serviceJvmOptions().apply(service));
        List<String> launch = config.startCaches().service(config.projectDirectory(), service);
        ServiceProcess process = ServiceProcess.start(service.module(), launch,
                port(service), managementPorts.get(service), properties(service), environment(service), jvmOptions,
                config.dataDirectory(),
                config.dataDirectory().resolve("logs/" + service.module() + ".log"));
        services.put(service, process);
    }

    /** Kills a service at once (SIGKILL), as a crash would: no shutdown hook, no last flush. */
    public void crash(StackService service) {
        services.get(service).process().kill();
    }

    /** Starts a service that crashed or stopped again, with the same settings; returns once it is ready. */
    public void restart(StackService service) {
        services.get(service).process().kill();
        startService(service);
        services.get(service).awaitReady(config.readyTimeout());
    }

    /** Freezes the Kafka broker (SIGSTOP): clients' requests hang as with a broker that stopped answering. */
    public void freezeKafka() {
        kafka.process().signal("STOP");
    }

    /** Thaws a frozen Kafka broker (SIGCONT). */
    public void thawKafka() {
        kafka.process().signal("CONT");
    }

    private Map<String, String> properties(StackService service) {
        Map<StackService, String> urls = new EnumMap<>(StackService.class);
        for (StackService each : StackService.values()) {
            urls.put(each, url(each));
        }
        Map<String, String> properties = new HashMap<>(new ServiceProperties(kafka.bootstrapServers(),
                kafka.upstreamBootstrapServers(), "http://" + Net.LOOPBACK + ":" + config.registryPort(),
                urls, config.dataDirectory()).of(service));
        properties.putAll(config.serviceProperties().apply(service));
        return properties;
    }

    private Map<String, String> environment(StackService service) {
        return service == StackService.AUTH
                ? Map.of("SWITCHBOARD_AUTH_ADMIN_PASSWORD", config.adminPassword())
                : Map.of();
    }

    private int port(StackService service) {
        return config.servicePorts().getOrDefault(service, service.defaultPort());
    }

    public String url(StackService service) {
        return "http://" + Net.LOOPBACK + ":" + port(service);
    }

    /** The service's actuator (health with details, metrics, operator endpoints), on loopback only. */
    public String managementUrl(StackService service) {
        return "http://" + Net.LOOPBACK + ":" + managementPorts.get(service);
    }

    /** Where the stack keeps its data (kept private to its owner). */
    public Path dataDirectory() {
        return config.dataDirectory();
    }

    public String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** Kafka's SASL/SCRAM listener, where upstream producers connect with their app's credentials. */
    public String kafkaUpstreamBootstrapServers() {
        return kafka.upstreamBootstrapServers();
    }

    public ApicurioRegistry registry() {
        return registry;
    }

    /** The Kafka broker's child process. */
    public ManagedProcess kafkaProcess() {
        return kafka.process();
    }

    /** The service's child process. */
    public ManagedProcess process(StackService service) {
        return services.get(service).process();
    }

    /** Every child process, for checks that nothing is left behind. */
    public List<ManagedProcess> processes() {
        List<ManagedProcess> processes = new ArrayList<>();
        if (kafka != null) {
            processes.add(kafka.process());
        }
        if (registry != null) {
            processes.add(registry.process());
        }
        services.values().forEach(s -> processes.add(s.process()));
        return processes;
    }

    /** Whether the service's readiness probe answers UP now. */
    public boolean isReady(StackService service) {
        return services.get(service).isReady();
    }

    /** The first child that exited on its own, if any. */
    public java.util.Optional<ManagedProcess> deadProcess() {
        return processes().stream().filter(p -> !p.isAlive()).findFirst();
    }

    /** Stops the services (in parallel), then the registry, then Kafka. */
    @Override
    public void close() {
        CompletableFuture.allOf(services.values().stream()
                .map(s -> CompletableFuture.runAsync(s::close))
                .toArray(CompletableFuture[]::new)).join();
        if (registry != null) {
            registry.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }
}
