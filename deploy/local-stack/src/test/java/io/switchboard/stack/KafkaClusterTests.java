package io.switchboard.stack;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chaos suite's cluster: three real KRaft nodes on loopback that keep taking acknowledged
 * writes (acks=all, two in-sync replicas) while one node, even the active controller, is down,
 * and take the node back into every in-sync replica set when it returns.
 */
class KafkaClusterTests {

    @TempDir
    Path data;

    @Test
    void threeNodesSurviveTheLossOfTheActiveControllerAndTakeItBack() throws Exception {
        try (KafkaCluster cluster = KafkaCluster.start(data, 3, List.of("-Xmx256m"));
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("orders", 3, (short) 3))).all().get(30, TimeUnit.SECONDS);
            send(cluster, "before");

            int controller = cluster.activeController();
            cluster.kill(controller);
            send(cluster, "without-" + controller);
            assertThat(cluster.activeController()).as("a new quorum leader").isNotEqualTo(controller);

            TopicDescription without = describe(admin);
            assertThat(without.partitions()).allSatisfy(partition ->
                    assertThat(partition.isr()).extracting(node -> node.id()).doesNotContain(controller).hasSize(2));

            cluster.restart(controller);
            send(cluster, "after");
            cluster.awaitFullyReplicated(Duration.ofSeconds(60));
            assertThat(describe(admin).partitions()).allSatisfy(partition ->
                    assertThat(partition.isr()).extracting(node -> node.id()).contains(controller).hasSize(3));
        }
    }

    private static TopicDescription describe(Admin admin) throws Exception {
        return admin.describeTopics(List.of("orders")).allTopicNames().get(30, TimeUnit.SECONDS).get("orders");
    }

    private static void send(KafkaCluster cluster, String value) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            for (int partition = 0; partition < 3; partition++) {
                producer.send(new ProducerRecord<>("orders", partition, value, value)).get(60, TimeUnit.SECONDS);
            }
        }
    }
}
