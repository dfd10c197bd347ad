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
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final ManagedProcess process;
    private final int port;

    private KafkaBroker(ManagedProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Formats the storage under {@code dataDirectory} if needed, starts the broker and waits until
     * it answers an admin request.
     *
     * @param port           client listener on 127.0.0.1
     * @param controllerPort KRaft controller listener on 127.0.0.1
     */
    public static KafkaBroker start(Path dataDirectory, int port, int controllerPort, List<String> jvmOptions) {
        Path logDirectory = dataDirectory.resolve("kafka-logs");
        Path config = dataDirectory.resolve("kafka-server.properties");
        Path log4j = dataDirectory.resolve("kafka-log4j2.properties");
        Path processLog = dataDirectory.resolve("logs/kafka.log");
        writeConfiguration(config, log4j, logDirectory, port, controllerPort);

        List<String> classPath = List.of("-cp", Java.absoluteClassPath(),
                "-Dlog4j2.configurationFile=" + log4j.toAbsolutePath());
        if (!Files.exists(logDirectory.resolve("meta.properties"))) {
            ManagedProcess.run("kafka-storage-format",
                    Java.command(classPath, List.of("kafka.tools.StorageTool", "format", "--standalone",
                            "-t", Uuid.randomUuid().toString(), "-c", config.toAbsolutePath().toString())),
                    dataDirectory, dataDirectory.resolve("logs/kafka-format.log"), Duration.ofSeconds(60));
        }
        List<String> jvm = new java.util.ArrayList<>(jvmOptions);
        jvm.addAll(classPath);
        ManagedProcess process = ManagedProcess.start("kafka",
                Java.command(jvm, List.of("kafka.Kafka", config.toAbsolutePath().toString())),
                Map.of(), dataDirectory, processLog);
        KafkaBroker broker = new KafkaBroker(process, port);
        try {
            Net.await("Kafka on port " + port, START_TIMEOUT, process, broker::answersAdminRequests);
        } catch (RuntimeException e) {
            process.close();
            throw e;
        }
        return broker;
    }

    public String bootstrapServers() {
        return Net.LOOPBACK + ":" + port;
    }

    public int port() {
        return port;
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

    private static void writeConfiguration(Path config, Path log4j, Path logDirectory, int port, int controllerPort) {
        String listener = Net.LOOPBACK + ":" + port;
        String controller = Net.LOOPBACK + ":" + controllerPort;
        String properties = String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.bootstrap.servers=" + controller,
                "listeners=PLAINTEXT://" + listener + ",CONTROLLER://" + controller,
                "advertised.listeners=PLAINTEXT://" + listener,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + logDirectory.toAbsolutePath(),
                "num.partitions=1",
                // topics are created by the services (or by deployment tooling), never by accident
                "auto.create.topics.enable=false",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=10",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
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
