package io.switchboard.schemas.registry;

import org.apache.avro.Schema;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * A schema registry through its Confluent-compatible API ({@code /apis/ccompat/v7} on Apicurio
 * Registry), the API every language's Kafka serializers speak: what Switchboard registers there,
 * producers in any language find with {@code use.latest.version=true}.
 */
public final class ConfluentRegistry {

    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final JsonMapper JSON = JsonMapper.shared();

    private final String baseUrl;
    private final HttpClient http;

    /** @param baseUrl the Confluent API's base, e.g. {@code http://127.0.0.1:8080/apis/ccompat/v7} */
    public ConfluentRegistry(String baseUrl) {
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    }

    /** The subject of {@code topic}'s values under Confluent's default TopicNameStrategy. */
    public static String valueSubject(String topic) {
        return topic + "-value";
    }

    /** Sets the registry-wide compatibility rule, e.g. {@code BACKWARD}; the same value again changes nothing. */
    public void setCompatibility(String level) {
        call("PUT", "/config", Map.of("compatibility", level));
    }

    /**
     * Registers {@code schema} under {@code subject} and returns its id: the existing id when the
     * subject has it already, a new version when it is compatible with the subject's latest.
     *
     * @throws RegistryException when the registry refuses it or cannot be reached
     */
    public int register(String subject, Schema schema) {
        // Schema.toString() inlines every nested record: one self-contained schema, no references
        return call("POST", "/subjects/" + encode(subject) + "/versions", Map.of("schema", schema.toString()))
                .path("id").asInt();
    }

    /** The id of the latest version under {@code subject}, as a producer with {@code use.latest.version} finds it. */
    public int latestId(String subject) {
        return call("GET", "/subjects/" + encode(subject) + "/versions/latest", null).path("id").asInt();
    }

    private JsonNode call(String method, String path, Object body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(TIMEOUT)
                .header("Accept", CONTENT_TYPE)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (body != null) {
            request.header("Content-Type", CONTENT_TYPE);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new RegistryException(method + " " + baseUrl + path + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(method + " " + baseUrl + path + " was interrupted");
        }
        if (response.statusCode() / 100 != 2) {
            throw new RegistryException(method + " " + baseUrl + path + " answered HTTP " + response.statusCode()
                    + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8);
    }

    /** The registry refused a call (an incompatible schema: HTTP 409) or could not be reached. */
    public static final class RegistryException extends RuntimeException {

        RegistryException(String message) {
            super(message);
        }
    }
}
