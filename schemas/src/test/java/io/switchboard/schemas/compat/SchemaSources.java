package io.switchboard.schemas.compat;

import org.apache.avro.Schema;
import org.apache.avro.AvroRuntimeException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Parses a folder of {@code .avsc} files whose types refer to each other across files, in
 * whatever order makes every reference resolvable.
 */
final class SchemaSources {

    private SchemaSources() {
    }

    /** Every schema file under {@code folder}, by file name without extension, fully resolved. */
    static Map<String, Schema> parse(Path folder) {
        List<Path> pending = avscFiles(folder);
        Map<String, Schema> knownTypes = new LinkedHashMap<>();
        Map<String, Schema> byFile = new LinkedHashMap<>();
        while (!pending.isEmpty()) {
            List<Path> unresolved = new ArrayList<>();
            AvroRuntimeException lastError = null;
            for (Path file : pending) {
                Schema.Parser parser = new Schema.Parser();
                parser.addTypes(knownTypes.values());
                try {
                    Schema schema = parser.parse(file.toFile());
                    byFile.put(stem(file), schema);
                    knownTypes.putAll(parser.getTypes());
                } catch (AvroRuntimeException e) {
                    unresolved.add(file);
                    lastError = e;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            if (unresolved.size() == pending.size()) {
                throw new IllegalStateException("Cannot resolve " + unresolved + ": " + lastError.getMessage(), lastError);
            }
            pending = unresolved;
        }
        return byFile;
    }

    static List<Path> avscFiles(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(f -> f.toString().endsWith(".avsc")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String stem(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.length() - ".avsc".length());
    }
}
