package io.switchboard.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The repository the checks read, and the facts the tests share. */
final class Project {

    /** Surefire runs in the module's folder, deploy/manifests. */
    static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
    static final Path K8S = ROOT.resolve("deploy/k8s");
    static final Path COMPOSE = ROOT.resolve("docker-compose.yml");
    static final Path DEPLOY_README = ROOT.resolve("deploy/README.md");
    static final Path DASHBOARD = K8S.resolve("base/monitoring/switchboard-dashboard.json");

    static final List<String> OVERLAYS = List.of("dev", "prod", "prod-canary");

    /** Secrets docker-compose.yml requires, with test values. */
    static final Map<String, String> COMPOSE_SECRETS = Map.of("SWITCHBOARD_DB_PASSWORD", "test-db",
            "SWITCHBOARD_AUTH_ADMIN_PASSWORD", "test-admin", "SWITCHBOARD_GRAFANA_ADMIN_PASSWORD", "test-grafana");

    private Project() {
    }

    private static final Map<String, List<Manifest>> RENDERED = new ConcurrentHashMap<>();

    /**
     * An overlay with a component added, as a platform team's own overlay would add it: rendered
     * from a kustomization written under target/ (kustomize takes relative paths only).
     */
    static List<Manifest> render(String overlay, String component) {
        Path directory = ROOT.resolve("deploy/manifests/target/kustomize").resolve(overlay + "+" + component);
        try {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve("kustomization.yaml"), """
                    apiVersion: kustomize.config.k8s.io/v1beta1
                    kind: Kustomization
                    resources:
                      - %s
                    components:
                      - %s
                    """.formatted(directory.relativize(K8S.resolve("overlays").resolve(overlay)),
                    directory.relativize(K8S.resolve("components").resolve(component))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Manifests.render(directory);
    }

    /** The overlay's objects (rendered once per test run; copies, so a test may change them). */
    static List<Manifest> render(String overlay) {
        return RENDERED.computeIfAbsent(overlay, o -> Manifests.render(K8S.resolve("overlays").resolve(o))).stream()
                .map(m -> new Manifest(m.source(), m.node().deepCopy())).toList();
    }
}
