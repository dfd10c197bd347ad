package io.switchboard.schemas.compat;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The build's schema compatibility gate: every schema in the source folder must be able to read
 * data written with its last released version (Avro's BACKWARD rule, checked by Avro's own
 * {@link SchemaCompatibility}), and no released schema may disappear.
 *
 * <p>Released versions live in {@code released/<SchemaFile>/v<N>.avsc}, fully resolved (every
 * named type inlined). Run with {@code release} as third argument to record the current schemas
 * as a new released version where they changed.
 */
public final class CompatibilityCheck {

    /** One schema that breaks compatibility with its last released version. */
    record Violation(String schema, String releasedVersion, String reason) {
        @Override
        public String toString() {
            return schema + " is not BACKWARD compatible with released " + releasedVersion + ": " + reason;
        }
    }

    private CompatibilityCheck() {
    }

    public static void main(String[] args) {
        Path sources = Path.of(args[0]);
        Path released = Path.of(args[1]);
        if (args.length > 2 && args[2].equals("release")) {
            release(sources, released).forEach(file -> System.out.println("[schemas] released " + file));
            return;
        }
        List<Violation> violations = check(sources, released);
        if (!violations.isEmpty()) {
            violations.forEach(v -> System.err.println("[schemas] " + v));
            throw new IllegalStateException(violations.size() + " schema(s) break BACKWARD compatibility; "
                    + "restore compatibility (e.g. give new fields a default) instead of editing released versions");
        }
        System.out.println("[schemas] every schema is BACKWARD compatible with its last released version");
    }

    static List<Violation> check(Path sources, Path released) {
        Map<String, Schema> current = SchemaSources.parse(sources);
        List<Violation> violations = new ArrayList<>();
        for (Path releasedFolder : releasedFolders(released)) {
            String name = releasedFolder.getFileName().toString();
            Path latest = latestVersion(releasedFolder).orElse(null);
            if (latest == null) {
                continue;
            }
            String version = latest.getFileName().toString();
            Schema reader = current.get(name);
            if (reader == null) {
                violations.add(new Violation(name, version, "the schema was removed"));
                continue;
            }
            Schema writer = parse(latest);
            SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
            if (result.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
                result.getResult().getIncompatibilities().forEach(incompatibility -> violations.add(
                        new Violation(name, version, incompatibility.getType() + " at "
                                + incompatibility.getLocation() + " (" + incompatibility.getMessage() + ")")));
            }
        }
        return violations;
    }

    /** Writes {@code v<N+1>.avsc} for every schema that differs from its last released version. */
    static List<Path> release(Path sources, Path released) {
        List<Path> written = new ArrayList<>();
        SchemaSources.parse(sources).forEach((name, schema) -> {
            Path folder = released.resolve(name);
            Optional<Path> latest = latestVersion(folder);
            if (latest.isPresent() && parse(latest.get()).equals(schema)) {
                return;
            }
            int next = latest.map(CompatibilityCheck::versionNumber).orElse(0) + 1;
            Path file = folder.resolve("v" + next + ".avsc");
            try {
                Files.createDirectories(folder);
                Files.writeString(file, schema.toString(true) + "\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            written.add(file);
        });
        return written;
    }

    private static List<Path> releasedFolders(Path released) {
        if (!Files.isDirectory(released)) {
            return List.of();
        }
        try (Stream<Path> folders = Files.list(released)) {
            return folders.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<Path> latestVersion(Path folder) {
        if (!Files.isDirectory(folder)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().matches("v\\d+\\.avsc"))
                    .max(Comparator.comparingInt(CompatibilityCheck::versionNumber));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int versionNumber(Path file) {
        String name = file.getFileName().toString();
        return Integer.parseInt(name.substring(1, name.length() - ".avsc".length()));
    }

    private static Schema parse(Path file) {
        try {
            return new Schema.Parser().parse(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
