package io.switchboard.chaos;

import io.switchboard.schemas.TopicSpec;
import io.switchboard.schemas.Topics;
import io.switchboard.stack.ApicurioRegistry;
import io.switchboard.stack.KafkaCluster;
import io.switchboard.stack.Net;
import io.switchboard.stack.ServiceProcess;
import io.switchboard.stack.ServiceProperties;
import io.switchboard.stack.StackService;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What the chaos suite runs on, all on loopback: a 3-node KRaft cluster (replication 3,
 * {@code min.insync.replicas} 2), Apicurio Registry, a private PostgreSQL server (one database per
 * service), two instances of every service (push gateways 0 and 1) and HAProxy in front of each
 * service's instances. Every part can be killed and started again.
 */
final class ChaosStack implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofMinutes(5);

    /** One running instance of a service, e.g. {@code message-service-b}. */
    static final class Instance {
        private final StackService service;
        private final int ordinal;
        private final int port = Net.freePort();
        private final int managementPort = Net.freePort();
        private volatile ServiceProcess process;

        Instance(StackService service, int ordinal) {
            this.service = service;
            this.ordinal = ordinal;
        }

        String name() {
            return service.module() + "-" + (char) ('a' + ordinal);
        }

        StackService service() {
            return service;
        }

        ServiceProcess process() {
            return process;
        }
    }

    private final Path projectDirectory;
    private final Path dataDirectory;
    private final String adminPassword;
    private final List<String> jvmOptions;
    private final List<Instance> instances = new ArrayList<>();
    private final Map<StackService, Integer> frontPorts = new EnumMap<>(StackService.class);
    private KafkaCluster kafka;
    private ApicurioRegistry registry;
    private PostgresServer postgres;
    private LoadBalancer balancer;

    private ChaosStack(Path projectDirectory, Path dataDirectory, String adminPassword, List<String> jvmOptions) {
        this.projectDirectory = projectDirectory;
        this.dataDirectory = dataDirectory;
        this.adminPassword = adminPassword;
        this.jvmOptions = jvmOptions;
        for (StackService service : StackService.values()) {
            frontPorts.put(service, Net.freePort());
            instances.add(new Instance(service, 0));
            instances.add(new Instance(service, 1));
        }
    }

    static ChaosStack start(Path projectDirectory, Path dataDirectory, String adminPassword, List<String> jvmOptions) {
        ChaosStack stack = new ChaosStack(projectDirectory, dataDirectory, adminPassword, jvmOptions);
        try {
            stack.startAll();
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    /**
     * Every JVM of the stack compiles with C1 only: on 2 cores, a dozen JVMs' C2 compilers took a
     * large share of the CPU while instances restarted, which slowed every restart the faults need,
     * and the load of a chaos run is far too small to gain from C2.
     */
    static final String QUICK_JIT = "-XX:TieredStopAtLevel=1";

    /** Partitions of each topic that has more in the catalog (push.deliveries keeps one per gateway). */
    private static final int CHAOS_PARTITIONS = 3;

    private void startAll() {
        kafka = KafkaCluster.start(dataDirectory, 3, List.of("-Xmx512m", QUICK_JIT));
        registry = ApicurioRegistry.start(ApicurioRegistry.locateHome(), Net.freePort(), ApicurioRegistry.Storage.inMemory(), dataDirectory,
                dataDirectory.resolve("logs/apicurio-registry.log"), List.of("-Xmx384m", QUICK_JIT));
        postgres = PostgresServer.create();
        for (StackService service : StackService.values()) {
            postgres.createDatabase(database(service));
        }
        balancer = LoadBalancer.start(dataDirectory, java.util.Arrays.stream(StackService.values())
                .map(service -> new LoadBalancer.Frontend(service.module(), frontPorts.get(service),
                        instances(service).stream().map(i -> new LoadBalancer.Backend(i.name(), i.port, i.managementPort))
                                .toList()))
                .toList());
        // the first instance of each service creates the keysets and runs the migrations, then the second joins
        startAndAwait(instances.stream().filter(i -> i.ordinal == 0).toList());
        startAndAwait(instances.stream().filter(i -> i.ordinal == 1).toList());
    }

    /** Starts the instances at once and returns when every one is ready. */
    void startAndAwait(List<Instance> toStart) {
        toStart.forEach(this::launch);
        CompletableFuture.allOf(toStart.stream()
                        .map(i -> CompletableFuture.runAsync(() -> i.process.awaitReady(READY_TIMEOUT)))
                        .toArray(CompletableFuture[]::new))
                .join();
    }

    /** Kills the instance at once (SIGKILL), as a crash or an OOM kill would. */
    void kill(Instance instance) {
        instance.process.process().kill();
    }

    private void launch(Instance instance) {
        Map<String, String> properties = new HashMap<>(serviceProperties().of(instance.service));
        properties.put("spring.datasource.url", postgres.jdbcUrl(database(instance.service)));
        properties.put("switchboard.kafka.replication-factor", "3");
        // 3 partitions a topic, one per broker, where the catalog has up to 12: each broker restart
        // recovers, elects and catches up every replica it holds, and on 2 cores that work (142
        // replicas a broker at the catalog's counts) was most of a broker fault's healing time
        for (TopicSpec topic : Topics.all()) {
            if (topic.partitions() > CHAOS_PARTITIONS) {
                properties.put("switchboard.kafka.partitions[" + topic.name() + "]", Integer.toString(CHAOS_PARTITIONS));
            }
        }
        // one push.deliveries partition per gateway: gateway N reads partition N
        properties.put("switchboard.kafka.partitions[push.deliveries]", "2");
        properties.put("switchboard.kafka.partitions[push.deliveries.dlt]", "2");
        if (instance.service == StackService.PUSH) {
            properties.put("switchboard.push.gateway-ordinal", Integer.toString(instance.ordinal));
        }
        Map<String, String> environment = instance.service == StackService.AUTH
                ? Map.of("SWITCHBOARD_AUTH_ADMIN_PASSWORD", adminPassword) : Map.of();
        instance.process = ServiceProcess.start(instance.name(), instance.service.launch(projectDirectory), instance.port,
                instance.managementPort, properties, environment, jvmOptions, dataDirectory,
                dataDirectory.resolve("logs/" + instance.name() + ".log"));
    }

    private ServiceProperties serviceProperties() {
        Map<StackService, String> urls = new EnumMap<>(StackService.class);
        for (StackService service : StackService.values()) {
            urls.put(service, url(service));
        }
        return new ServiceProperties(kafka.bootstrapServers(), kafka.upstreamBootstrapServers(), registry.url(), urls,
                dataDirectory);
    }

    private static String database(StackService service) {
        return service.module().replace("-service", "");
    }

    /** The service's address for clients and the other services: the load balancer in front of its instances. */
    String url(StackService service) {
        return "http://" + Net.LOOPBACK + ":" + frontPorts.get(service);
    }

    String webSocketUrl() {
        return url(StackService.PUSH).replace("http://", "ws://") + "/v1/ws";
    }

    List<Instance> instances() {
        return List.copyOf(instances);
    }

    List<Instance> instances(StackService service) {
        return instances.stream().filter(i -> i.service == service).toList();
    }

    KafkaCluster kafka() {
        return kafka;
    }

    ApicurioRegistry registry() {
        return registry;
    }

    PostgresServer postgres() {
        return postgres;
    }

    String jdbcUrl(StackService service) {
        return postgres.jdbcUrl(database(service));
    }

    /** Stops the services, the balancer, the registry, Kafka and PostgreSQL. */
    @Override
    public void close() {
        CompletableFuture.allOf(instances.stream().filter(i -> i.process != null)
                .map(i -> CompletableFuture.runAsync(i.process::close))
                .toArray(CompletableFuture[]::new)).join();
        for (AutoCloseable part : new AutoCloseable[]{balancer, registry, kafka, postgres}) {
            if (part != null) {
                try {
                    part.close();
                } catch (Exception e) {
                    System.err.println("could not stop " + part + ": " + e.getMessage());
                }
            }
        }
    }
}
