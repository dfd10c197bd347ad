package io.switchboard.deploy;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One Kubernetes object of a rendered overlay or a manifest file.
 *
 * @param source where it came from (an overlay directory or a file), named in violations
 * @param node   the object as parsed YAML
 */
public record Manifest(String source, JsonNode node) {

    public String apiVersion() {
        return node.path("apiVersion").asText();
    }

    public String kind() {
        return node.path("kind").asText();
    }

    public String name() {
        return node.path("metadata").path("name").asText();
    }

    /** {@code Kind/name}, the way violations name an object. */
    public String id() {
        return kind() + "/" + name();
    }

    public JsonNode spec() {
        return node.path("spec");
    }

    /** The pod template's spec of a workload (Deployment, StatefulSet, Job), else a missing node. */
    public JsonNode podSpec() {
        return spec().path("template").path("spec");
    }

    public boolean isWorkload() {
        return switch (kind()) {
            case "Deployment", "StatefulSet", "DaemonSet", "Job" -> true;
            default -> false;
        };
    }

    public boolean isLongRunning() {
        return isWorkload() && !kind().equals("Job");
    }
}
