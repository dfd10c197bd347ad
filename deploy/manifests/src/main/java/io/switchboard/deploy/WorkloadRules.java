package io.switchboard.deploy;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

/**
 * The project's rules for what runs: every container non-root, read-only, without capabilities,
 * with requests and a memory limit and a pinned image; every long-running container with startup,
 * liveness and readiness probes and an emptyDir at /tmp; every Switchboard service with its own
 * ServiceAccount, Service, HorizontalPodAutoscaler, PodDisruptionBudget and PodMonitor, its probes
 * and metrics on its {@code management} port and that port in no Service (the actuator's health
 * details and metrics are not for the API's clients); and a default-deny NetworkPolicy.
 */
public final class WorkloadRules {

    private WorkloadRules() {
    }

    public static List<String> violations(List<Manifest> manifests) {
        List<String> violations = new ArrayList<>();
        manifests.forEach(manifest -> images(manifest.node(), manifest.id(), violations));
        manifests.stream().filter(Manifest::isWorkload).forEach(workload -> containers(workload, violations));
        manifests.stream().filter(m -> m.isLongRunning() && isService(m) && !isCanary(m))
                .forEach(service -> companions(service, manifests, violations));
        boolean defaultDeny = Manifests.ofKind(manifests, "NetworkPolicy").anyMatch(policy ->
                policy.spec().path("podSelector").isEmpty()
                        && policy.spec().path("ingress").isMissingNode() && policy.spec().path("egress").isMissingNode()
                        && policy.spec().path("policyTypes").toString().contains("Ingress")
                        && policy.spec().path("policyTypes").toString().contains("Egress"));
        if (!defaultDeny) {
            violations.add("no default-deny NetworkPolicy (podSelector {}, policyTypes Ingress and Egress, no rules)");
        }
        return violations;
    }

    static boolean isService(Manifest workload) {
        return "service".equals(workload.spec().path("template").path("metadata").path("labels")
                .path("app.kubernetes.io/component").asText());
    }

    static boolean isCanary(Manifest workload) {
        return "canary".equals(workload.node().path("metadata").path("labels").path("switchboard.io/track").asText());
    }

    /** Every "image" or "imageName" field anywhere in an object must name a pinned image. */
    private static void images(JsonNode node, String where, List<String> violations) {
        if (node.isObject()) {
            node.properties().forEach(field -> {
                if ((field.getKey().equals("image") || field.getKey().equals("imageName")) && field.getValue().isTextual()) {
                    String image = field.getValue().asText();
                    if (!pinned(image)) {
                        violations.add(where + ": image " + image + " is not pinned to a version (no tag, or latest)");
                    }
                } else {
                    images(field.getValue(), where, violations);
                }
            });
        } else if (node.isArray()) {
            node.forEach(item -> images(item, where, violations));
        }
    }

    /** {@code name:tag} with a tag other than {@code latest}, or {@code name@sha256:...}. */
    static boolean pinned(String image) {
        String last = image.substring(image.lastIndexOf('/') + 1);
        String tag = last.contains(":") ? last.substring(last.indexOf(':') + 1) : "";
        return image.contains("@sha256:") || (!tag.isEmpty() && !tag.equals("latest"));
    }

    private static void containers(Manifest workload, List<String> violations) {
        JsonNode pod = workload.podSpec();
        JsonNode podSecurity = pod.path("securityContext");
        for (JsonNode container : iterable(pod.path("containers"), pod.path("initContainers"))) {
            String where = workload.id() + " container " + container.path("name").asText();
            JsonNode security = container.path("securityContext");
            if (!security.path("runAsNonRoot").asBoolean(podSecurity.path("runAsNonRoot").asBoolean(false))) {
                violations.add(where + ": not runAsNonRoot");
            }
            if (!security.path("readOnlyRootFilesystem").asBoolean(false)) {
                violations.add(where + ": root filesystem is not read-only");
            }
            if (security.path("allowPrivilegeEscalation").asBoolean(true)) {
                violations.add(where + ": allowPrivilegeEscalation is not false");
            }
            if (!security.path("capabilities").path("drop").toString().contains("\"ALL\"")) {
                violations.add(where + ": capabilities do not drop ALL");
            }
            JsonNode resources = container.path("resources");
            for (String field : List.of("requests/cpu", "requests/memory", "limits/memory")) {
                String[] path = field.split("/");
                if (resources.path(path[0]).path(path[1]).isMissingNode()) {
                    violations.add(where + ": no resources." + path[0] + "." + path[1]);
                }
            }
            if (workload.isLongRunning()) {
                for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                    if (container.path(probe).isMissingNode()) {
                        violations.add(where + ": no " + probe);
                    }
                }
                if (!mountsEmptyDirAtTmp(pod, container)) {
                    violations.add(where + ": no emptyDir mounted at /tmp (the root filesystem is read-only)");
                }
            }
        }
    }

    private static boolean mountsEmptyDirAtTmp(JsonNode pod, JsonNode container) {
        for (JsonNode mount : container.path("volumeMounts")) {
            if (mount.path("mountPath").asText().equals("/tmp")) {
                for (JsonNode volume : pod.path("volumes")) {
                    if (volume.path("name").asText().equals(mount.path("name").asText()) && volume.has("emptyDir")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** A service's ServiceAccount, Service, HorizontalPodAutoscaler, PodDisruptionBudget and PodMonitor; its management port private. */
    private static void companions(Manifest workload, List<Manifest> manifests, List<String> violations) {
        JsonNode podLabels = workload.spec().path("template").path("metadata").path("labels");
        String account = workload.podSpec().path("serviceAccountName").asText();
        if (account.isEmpty() || Manifests.ofKind(manifests, "ServiceAccount").noneMatch(a -> a.name().equals(account))) {
            violations.add(workload.id() + ": no ServiceAccount of its own");
        }
        if (Manifests.ofKind(manifests, "HorizontalPodAutoscaler").noneMatch(hpa ->
                hpa.spec().path("scaleTargetRef").path("kind").asText().equals(workload.kind())
                        && hpa.spec().path("scaleTargetRef").path("name").asText().equals(workload.name()))) {
            violations.add(workload.id() + ": no HorizontalPodAutoscaler");
        }
        if (Manifests.ofKind(manifests, "PodDisruptionBudget").noneMatch(pdb ->
                selects(pdb.spec().path("selector").path("matchLabels"), podLabels))) {
            violations.add(workload.id() + ": no PodDisruptionBudget");
        }
        List<Manifest> services = Manifests.ofKind(manifests, "Service")
                .filter(service -> selects(service.spec().path("selector"), podLabels)).toList();
        if (services.isEmpty()) {
            violations.add(workload.id() + ": no Service");
        }
        boolean monitored = Manifests.ofKind(manifests, "PodMonitor").anyMatch(monitor ->
                selects(monitor.spec().path("selector").path("matchLabels"), podLabels)
                        && monitor.spec().path("podMetricsEndpoints").toString().contains("\"port\":\"management\""));
        if (!monitored) {
            violations.add(workload.id() + ": no PodMonitor scraping its management port");
        }
        for (Manifest service : services) {
            for (JsonNode port : service.spec().path("ports")) {
                if (port.path("targetPort").asText(port.path("name").asText()).equals("management")
                        || port.path("name").asText().equals("management")) {
                    violations.add(service.id() + ": exposes the management port of " + workload.id());
                }
            }
        }
        for (JsonNode container : workload.podSpec().path("containers")) {
            for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                JsonNode probePort = container.path(probe).path("httpGet").path("port");
                if (!probePort.isMissingNode() && !probePort.asText().equals("management")) {
                    violations.add(workload.id() + " container " + container.path("name").asText() + ": " + probe
                            + " is not on the management port");
                }
            }
        }
    }

    /** Whether a non-empty label selector matches the labels. */
    static boolean selects(JsonNode selector, JsonNode labels) {
        if (!selector.isObject() || selector.isEmpty()) {
            return false;
        }
        for (Map.Entry<String, JsonNode> entry : selector.properties()) {
            if (!entry.getValue().asText().equals(labels.path(entry.getKey()).asText(null))) {
                return false;
            }
        }
        return true;
    }

    private static Iterable<JsonNode> iterable(JsonNode... arrays) {
        return () -> java.util.Arrays.stream(arrays)
                .flatMap(array -> StreamSupport.stream(array.spliterator(), false)).iterator();
    }
}
