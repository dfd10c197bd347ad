package io.switchboard.bench;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * How far each consumer group on the broker is behind, as {@code kafka-consumer-groups --describe}
 * shows it: per partition the end offset minus the group's committed offset, summed per group.
 * Consumers that read without a group (the services' views, this benchmark's own) do not commit
 * and are not counted. The end is the last committed transaction's (read_committed), so records
 * of a transaction still open are not lag.
 */
final class ConsumerLag implements AutoCloseable {

    private static final long TIMEOUT_SECONDS = 30;

    private final Admin admin;

    ConsumerLag(String bootstrapServers) {
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /**
     * Records not yet consumed, by consumer group id, sorted by id; empty if the broker did not
     * answer in time (said on stderr), so one slow answer leaves a gap rather than ending a run.
     */
    Map<String, Long> byGroup() throws InterruptedException {
        try {
            return query();
        } catch (ExecutionException | TimeoutException e) {
            System.err.println("consumer lag not read: " + e);
            return Map.of();
        }
    }

    private Map<String, Long> query() throws InterruptedException, ExecutionException, TimeoutException {
        Set<String> groups = admin.listGroups(ListGroupsOptions.forConsumerGroups()).all()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).stream().map(GroupListing::groupId).collect(Collectors.toSet());
        Map<String, Map<TopicPartition, OffsetAndMetadata>> committed = groups.isEmpty() ? Map.of()
                : admin.listConsumerGroupOffsets(groups.stream().collect(Collectors.toMap(g -> g,
                        g -> new ListConsumerGroupOffsetsSpec()))).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
        committed.values().forEach(offsets -> offsets.keySet().forEach(p -> partitions.put(p, OffsetSpec.latest())));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = partitions.isEmpty() ? Map.of()
                : admin.listOffsets(partitions, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Map<String, Long> lag = new TreeMap<>();
        committed.forEach((group, offsets) -> lag.put(group, offsets.entrySet().stream()
                .filter(e -> e.getValue() != null && ends.containsKey(e.getKey()))
                .mapToLong(e -> Math.max(0, ends.get(e.getKey()).offset() - e.getValue().offset())).sum()));
        return lag;
    }

    @Override
    public void close() {
        admin.close();
    }
}
