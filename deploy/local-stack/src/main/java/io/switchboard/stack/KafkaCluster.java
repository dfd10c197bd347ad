package io.switchboard.stack;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.common.Uuid;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A KRaft cluster of several nodes on loopback, each broker and controller in a child JVM with
 * its own data directory (replication 3 at most, {@code min.insync.replicas} one less), for the
 * chaos suite: any node can be killed, frozen, stopped and started again, and the quorum's
 * leader (the active controller) looked up.
 */
public final class KafkaCluster implements AutoCloseable {

    private final Path dataDirectory;
    private final List<KafkaBroker.Node> nodes;
    private final String clusterId;
    private final List<String> jvmOptions;
    private final Map<Integer, KafkaBroker> running = new LinkedHashMap<>();

    private KafkaCluster(Path dataDirectory, List<KafkaBroker.Node> nodes, String clusterId, List<String> jvmOptions) {
        this.dataDirectory = dataDirectory;
        this.nodes = nodes;
        this.clusterId = clusterId;
        this.jvmOptions = jvmOptions;
    }

    /** Starts {@code size} nodes on free ports and waits until every one answers. */
    public static KafkaCluster start(Path dataDirectory, int size, List<String> jvmOptions) {
        List<KafkaBroker.Node> nodes = new ArrayList<>();
        for (int id = 1; id <= size; id++) {
            nodes.add(new KafkaBroker.Node(id, Net.freePort(), Net.freePort(), Net.freePort()));
        }
        KafkaCluster cluster = new KafkaCluster(dataDirectory, List.copyOf(nodes), Uuid.randomUuid().toString(), jvmOptions);
        try {
            nodes.forEach(node -> cluster.running.put(node.id(), cluster.launch(node)));
            cluster.running.values().forEach(broker -> broker.awaitAnswering(KafkaBroker.START_TIMEOUT));
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    public String bootstrapServers() {
        return nodes.stream().map(node -> Net.LOOPBACK + ":" + node.port()).collect(Collectors.joining(","));
    }

    /** The nodes' SASL/SCRAM listeners for upstream producers. */
    public String upstreamBootstrapServers() {
        return nodes.stream().map(node -> Net.LOOPBACK + ":" + node.upstreamPort()).collect(Collectors.joining(","));
    }

    public List<Integer> nodeIds() {
        return nodes.stream().map(KafkaBroker.Node::id).toList();
    }

    /** The running node, e.g. to freeze its process. */
    public KafkaBroker node(int id) {
        KafkaBroker broker = running.get(id);
        if (broker == null) {
            throw new IllegalStateException("Kafka node " + id + " is not running");
        }
        return broker;
    }

    /** Kills the node at once (SIGKILL), as a crash would. */
    public void kill(int id) {
        node(id).process().kill();
        running.remove(id);
    }

    /** Stops the node the polite way (SIGTERM: it hands over its leaderships first). */
    public void stop(int id) {
        node(id).close();
        running.remove(id);
    }

    /** Starts a stopped or killed node again on its data and waits until it answers. */
    public void restart(int id) {
        KafkaBroker.Node node = nodes.stream().filter(n -> n.id() == id).findFirst().orElseThrow();
        KafkaBroker broker = launch(node);
        running.put(id, broker);
        broker.awaitAnswering(KafkaBroker.RESTART_TIMEOUT);
    }

    /** The node id of the quorum's leader, the active controller. */
    public int activeController() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000))) {
            return admin.describeMetadataQuorum().quorumInfo().get(15, TimeUnit.SECONDS).leaderId();
        } catch (Exception e) {
            throw new IllegalStateException("Could not look up the active controller", e);
        }
    }

    /**
     * Waits until every partition of every topic has all its replicas in sync again, e.g. after a
     * node came back: only then can the next node go without leaving a partition below
     * {@code min.insync.replicas}.
     */
    public void awaitFullyReplicated(Duration timeout) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000))) {
            Net.await("every replica in sync", timeout, null, () -> fullyReplicated(admin));
        }
    }

    private static boolean fullyReplicated(Admin admin) {
        try {
            Set<String> topics = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get(15, TimeUnit.SECONDS);
            return admin.describeTopics(topics).allTopicNames().get(15, TimeUnit.SECONDS).values().stream()
                    .flatMap(topic -> topic.partitions().stream())
                    .allMatch(partition -> partition.isr().size() == partition.replicas().size());
        } catch (Exception e) {
            return false;
        }
    }

    private KafkaBroker launch(KafkaBroker.Node node) {
        return KafkaBroker.launch(dataDirectory.resolve("kafka-" + node.id()), node, nodes, clusterId, jvmOptions);
    }

    @Override
    public void close() {
        new ArrayList<>(running.values()).forEach(KafkaBroker::close);
        running.clear();
    }
}
