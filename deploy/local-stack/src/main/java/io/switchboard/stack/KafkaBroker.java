package io.switchboard.stack;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A single-node Apache Kafka broker in KRaft mode (combined broker and controller), run from
 * Kafka's own jars in a child JVM. Its log directory lives under the given data directory, so
 * topics and offsets survive a restart; the storage is formatted only on first start.
 *
 * <p>Two client listeners, both on 127.0.0.1: {@code PLAINTEXT} for Switchboard's own services
 * and tools, whose unauthenticated principal ({@code User:ANONYMOUS}) is a super user, and
 * {@code UPSTREAM}, SASL/SCRAM-SHA-512, for upstream producers with the credentials auth-service
 * gives each app. ACLs are enforced ({@code StandardAuthorizer}, nothing allowed without an ACL),
 * so an app's credentials reach only what its ACLs name; as on Kubernetes, where the services have
 * users of their own and the internal listener is not reachable from outside.
 */
public final class KafkaBroker implements AutoCloseable {

    static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    /**
     * A node started again after a crash first recovers every log segment it had open and replays
     * the metadata log; on a busy 2-core machine that has taken over 90 s.
     */
    static final Duration RESTART_TIMEOUT = Duration.ofMinutes(4);

    /** The SASL mechanism of the upstream listener. */
    public static final String UPSTREAM_SASL_MECHANISM = "SCRAM-SHA-512";
    /**
     * How long an upstream connection stays authenticated before it must authenticate again: a
     * revoked credential's open connections are closed within this.
     */
    static final Duration UPSTREAM_REAUTHENTICATION = Duration.ofSeconds(60);

    private final ManagedProcess process;
    private final int port;
    private final int upstreamPort;

    private KafkaBroker(ManagedProcess process, int port, int upstreamPort) {
        this.process = process;
        this.port = port;
        this.upstreamPort = upstreamPort;
    }

    /**
     * Formats the storage under {@code dataDirectory} if needed, starts the broker and waits until
     * it answers an admin request.
     *
     * @param port           client listener on 127.0.0.1
     * @param controllerPort KRaft controller listener on 127.0.0.1
     * @param upstreamPort   SASL/SCRAM listener for upstream producers on 127.0.0.1
     */
    public static KafkaBroker start(Path dataDirectory, int port, int controllerPort, int upstreamPort,
                                    List<String> jvmOptions) {
        Node node = new Node(1, port, controllerPort, upstreamPort);
        KafkaBroker broker = launch(dataDirectory, node, List.of(node), null, jvmOptions);
        broker.awaitAnswering(START_TIMEOUT);
        return broker;
    }

    /**
     * One node of a KRaft cluster whose nodes are each broker and controller.
     *
     * @param port           client listener on 127.0.0.1
     * @param controllerPort KRaft controller listener on 127.0.0.1
     * @param upstreamPort   SASL/SCRAM listener for upstream producers on 127.0.0.1
     */
    public record Node(int id, int port, int controllerPort, int upstreamPort) {
        String voter() {
            return id + "@" + Net.LOOPBACK + ":" + controllerPort;
        }
    }

    /**
     * Formats the node's storage if needed and starts its process, without waiting: a node of a
     * cluster answers only once a quorum of its controllers runs.
     *
     * @param quorum    every node of the cluster; one node alone is a standalone broker (replication 1)
     * @param clusterId the cluster's id, the same for every node; null for a standalone broker
     */
    static KafkaBroker launch(Path dataDirectory, Node node, List<Node> quorum, String clusterId, List<String> jvmOptions) {
        Path logDirectory = dataDirectory.resolve("kafka-logs");
        Path config = dataDirectory.resolve("kafka-server.properties");
        Path log4j = dataDirectory.resolve("kafka-log4j2.properties");
        Path processLog = dataDirectory.resolve("logs/kafka.log");
        writeConfiguration(config, log4j, logDirectory, node, quorum);

        List<String> classPath = List.of("-cp", Java.absoluteClassPath(),
                "-Dlog4j2.configurationFile=" + log4j.toAbsolutePath());
        if (!Files.exists(logDirectory.resolve("meta.properties"))) {
            List<String> format = clusterId == null
                    ? List.of("kafka.tools.StorageTool", "format", "--standalone", "-t", Uuid.randomUuid().toString(),
                            "-c", config.toAbsolutePath().toString())
                    : List.of("kafka.tools.StorageTool", "format", "-t", clusterId, "-c", config.toAbsolutePath().toString());
            ManagedProcess.run("kafka-storage-format", Java.command(classPath, format),
                    dataDirectory, dataDirectory.resolve("logs/kafka-format.log"), Duration.ofSeconds(60));
        }
        List<String> jvm = new java.util.ArrayList<>(jvmOptions);
        jvm.addAll(classPath);
        ManagedProcess process = ManagedProcess.start("kafka-" + node.id(),
                Java.command(jvm, List.of("kafka.Kafka", config.toAbsolutePath().toString())),
                Map.of(), dataDirectory, processLog);
        return new KafkaBroker(process, node.port(), node.upstreamPort());
    }

    /** Waits until the broker answers an admin request; stops its process if it never does. */
    void awaitAnswering(Duration timeout) {
        try {
            Net.await("Kafka on port " + port, timeout, process, this::answersAdminRequests);
        } catch (RuntimeException e) {
            process.close();
            throw e;
        }
    }

    public String bootstrapServers() {
        return Net.LOOPBACK + ":" + port;
    }

    public int port() {
        return port;
    }

    /** Where upstream producers connect, with SASL/SCRAM-SHA-512 over plaintext (loopback only). */
    public String upstreamBootstrapServers() {
        return Net.LOOPBACK + ":" + upstreamPort;
    }

    public ManagedProcess process() {
        return process;
    }

    private boolean answersAdminRequests() {
        if (!Net.isListening(port)) {
            return false;
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000))) {
            return !admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    private static void writeConfiguration(Path config, Path log4j, Path logDirectory, Node node, List<Node> quorum) {
        String listener = Net.LOOPBACK + ":" + node.port();
        String controller = Net.LOOPBACK + ":" + node.controllerPort();
        String upstream = Net.LOOPBACK + ":" + node.upstreamPort();
        boolean standalone = quorum.size() == 1;
        // a cluster replicates everything 3 ways (at most its size) and acknowledges writes on 2 replicas
        int replication = Math.min(3, quorum.size());
        int minInSync = Math.max(1, replication - 1);
        String properties = String.join("\n",
                "process.roles=broker,controller",
                "node.id=" + node.id(),
                standalone ? "controller.quorum.bootstrap.servers=" + controller
                        : "controller.quorum.voters=" + String.join(",", quorum.stream().map(Node::voter).toList()),
                "listeners=PLAINTEXT://" + listener + ",CONTROLLER://" + controller + ",UPSTREAM://" + upstream,
                "advertised.listeners=PLAINTEXT://" + listener + ",UPSTREAM://" + upstream,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,UPSTREAM:SASL_PLAINTEXT",
                "listener.name.upstream.sasl.enabled.mechanisms=" + UPSTREAM_SASL_MECHANISM,
                "listener.name.upstream.scram-sha-512.sasl.jaas.config="
                        + "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                "listener.name.upstream.connections.max.reauth.ms=" + UPSTREAM_REAUTHENTICATION.toMillis(),
                // ACLs decide; the services, tools and other nodes come over PLAINTEXT and CONTROLLER
                // as ANONYMOUS, which may do anything, so only upstream principals are limited
                "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                "super.users=User:ANONYMOUS",
                "allow.everyone.if.no.acl.found=false",
                "log.dirs=" + logDirectory.toAbsolutePath(),
                "num.partitions=1",
                // topics are created by the services (or by deployment tooling), never by accident
                "auto.create.topics.enable=false",
                "default.replication.factor=" + replication,
                "min.insync.replicas=" + minInSync,
                "offsets.topic.replication.factor=" + replication,
                "offsets.topic.num.partitions=10",
                "transaction.state.log.replication.factor=" + replication,
                "transaction.state.log.min.isr=" + minInSync,
                "share.coordinator.state.topic.replication.factor=" + replication,
                "share.coordinator.state.topic.min.isr=" + minInSync,
                "group.initial.rebalance.delay.ms=0",
                // an app over its quota is measured over 2 s rather than 11: it is held back in short
                // pauses instead of bursting megabytes between throttles of seconds, which the other
                // apps' events would queue behind (./switchboard bench quotas)
                "quota.window.num=2",
                "");
        String logging = String.join("\n",
                "rootLogger.level=INFO",
                "rootLogger.appenderRef.out.ref=out",
                "appender.out.type=Console",
                "appender.out.name=out",
                "appender.out.layout.type=PatternLayout",
                "appender.out.layout.pattern=%d{ISO8601} %-5p [%c{1}] %m%n",
                "logger.state.name=state.change.logger",
                "logger.state.level=WARN",
                "logger.coordinator.name=org.apache.kafka.coordinator",
                "logger.coordinator.level=WARN",
                "");
        try {
            Files.createDirectories(logDirectory);
            Files.writeString(config, properties);
            Files.writeString(log4j, logging);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(30));
    }
}
