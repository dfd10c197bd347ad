package io.switchboard.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Reads manifests: multi-document YAML text, or an overlay rendered offline by {@code kubectl kustomize}. */
public final class Manifests {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Manifests() {
    }

    /** Every object of a multi-document YAML text; empty documents are skipped. */
    public static List<Manifest> parse(String source, String yaml) {
        List<Manifest> manifests = new ArrayList<>();
        try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (documents.hasNext()) {
                JsonNode node = documents.next();
                if (node != null && node.isObject() && !node.isEmpty()) {
                    manifests.add(new Manifest(source, node));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(source + " is not valid YAML", e);
        }
        return manifests;
    }

    public static List<Manifest> parse(Path file) {
        try {
            return parse(file.toString(), Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The objects of a Kustomize directory as {@code kubectl kustomize} renders them (offline: no
     * cluster involved).
     *
     * @throws IllegalStateException when kubectl is missing or the rendering fails (its error included)
     */
    public static List<Manifest> render(Path kustomization) {
        Path output = null;
        try {
            output = Files.createTempFile("kustomize", ".yaml");
            Process process;
            try {
                process = new ProcessBuilder("kubectl", "kustomize", kustomization.toString())
                        .redirectErrorStream(false)
                        .redirectOutput(output.toFile())
                        .start();
            } catch (IOException e) {
                throw new IllegalStateException("kubectl is needed to render " + kustomization
                        + " (kubectl kustomize); install kubectl 1.27 or newer", e);
            }
            byte[] errors = process.getErrorStream().readAllBytes();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("kubectl kustomize " + kustomization + " did not finish in 120 s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("kubectl kustomize " + kustomization + " failed: "
                        + new String(errors, StandardCharsets.UTF_8));
            }
            return parse(kustomization.toString(), Files.readString(output));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            if (output != null) {
                output.toFile().delete();
            }
        }
    }

    /** The objects of a kind. */
    public static Stream<Manifest> ofKind(List<Manifest> manifests, String kind) {
        return manifests.stream().filter(m -> m.kind().equals(kind));
    }
}
