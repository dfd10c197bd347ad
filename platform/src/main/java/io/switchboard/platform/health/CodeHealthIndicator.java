package io.switchboard.platform.health;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * Whether the jar the service runs from is still the one it started with ({@code code}, in
 * readiness and liveness). A build that replaces the jar under a running JVM breaks it in ways
 * nothing else reports: every class not loaded yet can no longer be loaded, so whichever thread
 * needs one next dies of {@code NoClassDefFoundError} (Kafka's I/O threads included) while the
 * probes would still answer. DOWN from the moment the file's size, modification time or identity
 * differ from what they were at start. A service run from a classes folder (tests, an IDE) has no
 * jar to watch and is UP.
 */
public class CodeHealthIndicator implements HealthIndicator {

    private final Path jar;
    private final Snapshot atStart;

    private record Snapshot(long size, long modifiedMillis, Object fileKey) {

        static Snapshot of(Path file) {
            try {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                return new Snapshot(attributes.size(), attributes.lastModifiedTime().toMillis(), attributes.fileKey());
            } catch (IOException e) {
                return null;   // gone (or unreadable): not the file the service started from
            }
        }
    }

    /**
     * For the running JVM: {@code java -jar service.jar} (the services' images and the local stack)
     * has that jar alone as its class path; anything else (tests, an IDE) has no jar to watch.
     */
    public static CodeHealthIndicator ofLaunchedJar() {
        String classPath = System.getProperty("java.class.path", "");
        boolean oneJar = !classPath.contains(File.pathSeparator) && classPath.endsWith(".jar");
        return new CodeHealthIndicator(oneJar ? Path.of(classPath).toAbsolutePath() : null);
    }

    /** @param source what the application was started from: its jar, or a classes folder; null for neither */
    public CodeHealthIndicator(Path source) {
        this.jar = source != null && Files.isRegularFile(source) ? source : null;
        this.atStart = jar == null ? null : Snapshot.of(jar);
    }

    @Override
    public Health health() {
        if (jar == null) {
            return Health.up().withDetail("jar", "none (run from classes)").build();
        }
        Snapshot now = Snapshot.of(jar);
        if (Objects.equals(now, atStart)) {
            return Health.up().withDetail("jar", jar.toString()).build();
        }
        return Health.down().withDetail("jar", jar.toString())
                .withDetail("state", now == null ? "deleted since start: restart the service"
                        : "replaced since start (a rebuild?): classes not loaded yet cannot be; restart the service")
                .build();
    }
}
