package io.switchboard.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Binds every object to the model class of its apiVersion and kind (fabric8's Kubernetes and
 * Prometheus-operator models, Strimzi's API classes) and reports every field the model does not
 * know: those land in a model's {@code additionalProperties}, which must be empty everywhere. An
 * object of an apiVersion/kind without a model is a violation (the Gateway API's HTTPRoute is
 * fabric8's gatewayapi model), except CloudNativePG's Cluster, whose
 * top-level spec fields are checked against a list (there is no Java model of it on Maven Central).
 *
 * <p>Strimzi's classes serve all its API versions, so a field removed in {@code v1} but kept in the
 * classes for {@code v1beta2} would pass; the operator's own validation is the last word.
 */
public final class SchemaCheck {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private static final Map<String, String> MODELS = Map.ofEntries(
            Map.entry("v1/Namespace", "io.fabric8.kubernetes.api.model.Namespace"),
            Map.entry("v1/ConfigMap", "io.fabric8.kubernetes.api.model.ConfigMap"),
            Map.entry("v1/Secret", "io.fabric8.kubernetes.api.model.Secret"),
            Map.entry("v1/Service", "io.fabric8.kubernetes.api.model.Service"),
            Map.entry("v1/ServiceAccount", "io.fabric8.kubernetes.api.model.ServiceAccount"),
            Map.entry("apps/v1/Deployment", "io.fabric8.kubernetes.api.model.apps.Deployment"),
            Map.entry("apps/v1/StatefulSet", "io.fabric8.kubernetes.api.model.apps.StatefulSet"),
            Map.entry("batch/v1/Job", "io.fabric8.kubernetes.api.model.batch.v1.Job"),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler",
                    "io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler"),
            Map.entry("policy/v1/PodDisruptionBudget", "io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget"),
            Map.entry("rbac.authorization.k8s.io/v1/Role", "io.fabric8.kubernetes.api.model.rbac.Role"),
            Map.entry("rbac.authorization.k8s.io/v1/RoleBinding", "io.fabric8.kubernetes.api.model.rbac.RoleBinding"),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", "io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy"),
            Map.entry("networking.k8s.io/v1/Ingress", "io.fabric8.kubernetes.api.model.networking.v1.Ingress"),
            Map.entry("gateway.networking.k8s.io/v1/HTTPRoute", "io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute"),
            Map.entry("monitoring.coreos.com/v1/PodMonitor",
                    "io.fabric8.openshift.api.model.monitoring.v1.PodMonitor"),
            Map.entry("monitoring.coreos.com/v1/PrometheusRule",
                    "io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule"),
            Map.entry("kafka.strimzi.io/v1/Kafka", "io.strimzi.api.kafka.model.kafka.Kafka"),
            Map.entry("kafka.strimzi.io/v1/KafkaNodePool", "io.strimzi.api.kafka.model.nodepool.KafkaNodePool"),
            Map.entry("kafka.strimzi.io/v1/KafkaTopic", "io.strimzi.api.kafka.model.topic.KafkaTopic"),
            Map.entry("kafka.strimzi.io/v1/KafkaUser", "io.strimzi.api.kafka.model.user.KafkaUser"));

    /** Top-level fields of CloudNativePG's ClusterSpec (postgresql.cnpg.io/v1) that Switchboard may use. */
    private static final Set<String> CNPG_CLUSTER_SPEC = Set.of("instances", "imageName", "primaryUpdateStrategy",
            "primaryUpdateMethod", "storage", "walStorage", "resources", "bootstrap", "monitoring", "postgresql",
            "affinity", "backup", "superuserSecret", "enableSuperuserAccess", "description", "inheritedMetadata",
            "managed", "startDelay", "stopDelay", "replicationSlots", "minSyncReplicas", "maxSyncReplicas",
            "certificates", "externalClusters", "topologySpreadConstraints", "priorityClassName", "env", "envFrom");

    private SchemaCheck() {
    }

    public static List<String> violations(List<Manifest> manifests) {
        List<String> violations = new ArrayList<>();
        for (Manifest manifest : manifests) {
            String type = manifest.apiVersion() + "/" + manifest.kind();
            if (type.equals("postgresql.cnpg.io/v1/Cluster")) {
                manifest.spec().fieldNames().forEachRemaining(field -> {
                    if (!CNPG_CLUSTER_SPEC.contains(field)) {
                        violations.add(manifest.id() + ": unknown field spec." + field);
                    }
                });
                continue;
            }
            String model = MODELS.get(type);
            if (model == null) {
                violations.add(manifest.id() + ": no schema for apiVersion " + manifest.apiVersion() + " kind "
                        + manifest.kind());
                continue;
            }
            try {
                Object bound = MAPPER.treeToValue(manifest.node(), Class.forName(model));
                unknownFields(bound, manifest.id(), violations, Collections.newSetFromMap(new IdentityHashMap<>()));
            } catch (Exception e) {
                violations.add(manifest.id() + ": does not match " + model + ": " + e.getMessage());
            }
        }
        return violations;
    }

    /** Walks the bound model through its getters and reports every non-empty additionalProperties. */
    private static void unknownFields(Object value, String path, List<String> violations, Set<Object> seen) {
        if (value == null) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int index = 0;
            for (Object item : items) {
                unknownFields(item, path + "[" + index++ + "]", violations, seen);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> unknownFields(item, path + "." + key, violations, seen));
            return;
        }
        String type = value.getClass().getName();
        if (!(type.startsWith("io.fabric8.") || type.startsWith("io.strimzi.")) || value.getClass().isEnum()
                || !seen.add(value)) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            String name = getter.getName();
            if (getter.getParameterCount() != 0 || !name.startsWith("get") || name.length() == 3
                    || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object property;
            try {
                property = getter.invoke(value);
            } catch (ReflectiveOperationException | RuntimeException e) {
                continue;
            }
            if (name.equals("getAdditionalProperties")) {
                if (property instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    violations.add(path + ": unknown field(s) " + extra.keySet());
                }
                continue;
            }
            unknownFields(property, path + "." + Character.toLowerCase(name.charAt(3)) + name.substring(4),
                    violations, seen);
        }
    }
}
