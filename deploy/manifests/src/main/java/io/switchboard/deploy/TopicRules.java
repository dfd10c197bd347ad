package io.switchboard.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.schemas.TopicSpec;
import io.switchboard.schemas.Topics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * KafkaTopics against the catalog ({@link Topics#all()}): one per topic, dead-letter topics included,
 * with the catalog's partitions and cleanup policy (compacted ones keeping tombstones at least
 * {@link TopicSpec#TOMBSTONE_RETENTION_MS}), and nothing else. push.deliveries is the
 * exception the catalog itself names: one partition per gateway, so it needs at least as many
 * partitions as push-service can have pods (its StatefulSet's replicas and its autoscaler's
 * maximum). A dead-letter topic has its source topic's partitions (a dead letter keeps its partition).
 */
public final class TopicRules {

    static final String PUSH_SERVICE = "push-service";

    private TopicRules() {
    }

    /**
     * @param replicas         the replication factor every topic must have
     * @param minInSyncReplicas the min.insync.replicas every topic must have
     */
    public static List<String> violations(List<Manifest> manifests, int replicas, int minInSyncReplicas) {
        List<String> violations = new ArrayList<>();
        Map<String, Manifest> declared = new LinkedHashMap<>();
        Manifests.ofKind(manifests, "KafkaTopic").forEach(topic -> declared.put(topicName(topic), topic));
        int gateways = maxGateways(manifests, violations);
        for (TopicSpec spec : Topics.all()) {
            Manifest topic = declared.remove(spec.name());
            if (topic == null) {
                violations.add("no KafkaTopic for topic " + spec.name());
                continue;
            }
            int partitions = topic.spec().path("partitions").asInt(-1);
            boolean perGateway = spec.name().startsWith(Topics.PUSH_DELIVERIES.name());
            if (perGateway && partitions < gateways) {
                violations.add(topic.id() + ": " + partitions + " partitions for up to " + gateways
                        + " push-service gateways (one partition per gateway)");
            } else if (!perGateway && partitions != spec.partitions()) {
                violations.add(topic.id() + ": " + partitions + " partitions, the catalog says " + spec.partitions());
            }
            if (spec.name().endsWith(TopicSpec.DEAD_LETTER_SUFFIX)) {
                String source = spec.name().substring(0, spec.name().length() - TopicSpec.DEAD_LETTER_SUFFIX.length());
                Manifests.ofKind(manifests, "KafkaTopic").filter(t -> topicName(t).equals(source)).findFirst()
                        .filter(s -> s.spec().path("partitions").asInt() != partitions)
                        .ifPresent(s -> violations.add(topic.id() + ": " + partitions + " partitions, its source "
                                + source + " has " + s.spec().path("partitions").asInt()));
            }
            boolean compacted = topic.spec().path("config").path("cleanup.policy").asText("delete").contains("compact");
            if (compacted != spec.compacted()) {
                violations.add(topic.id() + ": cleanup.policy " + (compacted ? "compact" : "delete") + ", the catalog says "
                        + (spec.compacted() ? "compact" : "delete"));
            }
            long tombstones = topic.spec().path("config").path("delete.retention.ms").asLong(-1);
            if (compacted && tombstones < TopicSpec.TOMBSTONE_RETENTION_MS) {
                violations.add(topic.id() + ": delete.retention.ms " + (tombstones < 0 ? "unset" : tombstones)
                        + ", compacted topics keep tombstones at least " + TopicSpec.TOMBSTONE_RETENTION_MS + " ms");
            }
            if (topic.spec().path("replicas").asInt(-1) != replicas) {
                violations.add(topic.id() + ": replicas " + topic.spec().path("replicas").asText() + ", expected " + replicas);
            }
            if (topic.spec().path("config").path("min.insync.replicas").asInt(-1) != minInSyncReplicas) {
                violations.add(topic.id() + ": min.insync.replicas " + topic.spec().path("config").path("min.insync.replicas")
                        .asText() + ", expected " + minInSyncReplicas);
            }
        }
        declared.values().forEach(topic -> violations.add(topic.id() + ": topic " + topicName(topic) + " is not in the catalog"));
        return violations;
    }

    static String topicName(Manifest topic) {
        String name = topic.spec().path("topicName").asText();
        return name.isEmpty() ? topic.name() : name;
    }

    /** How many gateways push-service can run: a StatefulSet's replicas or its autoscaler's maximum. */
    private static int maxGateways(List<Manifest> manifests, List<String> violations) {
        Manifest push = manifests.stream().filter(m -> m.name().equals(PUSH_SERVICE) && m.isLongRunning()).findFirst().orElse(null);
        if (push == null) {
            violations.add("no push-service workload");
            return 1;
        }
        if (!push.kind().equals("StatefulSet")) {
            violations.add(push.id() + ": must be a StatefulSet (its pod ordinal is its gateway ordinal)");
        }
        boolean ordinalFromPod = false;
        for (JsonNode env : push.podSpec().path("containers").path(0).path("env")) {
            if (env.path("name").asText().equals("SWITCHBOARD_PUSH_GATEWAY_ORDINAL")) {
                ordinalFromPod = env.path("valueFrom").path("fieldRef").path("fieldPath").asText()
                        .equals("metadata.labels['apps.kubernetes.io/pod-index']");
            }
        }
        if (!ordinalFromPod) {
            violations.add(push.id() + ": SWITCHBOARD_PUSH_GATEWAY_ORDINAL must come from the pod-index label");
        }
        int gateways = push.spec().path("replicas").asInt(1);
        for (Manifest hpa : Manifests.ofKind(manifests, "HorizontalPodAutoscaler").toList()) {
            if (hpa.spec().path("scaleTargetRef").path("name").asText().equals(PUSH_SERVICE)) {
                gateways = Math.max(gateways, hpa.spec().path("maxReplicas").asInt());
            }
        }
        return gateways;
    }
}
