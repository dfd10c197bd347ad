package io.switchboard.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The registry-public component: its HTTPRoute judged as a gateway would judge a request (a rule
 * passes it when one of its matches has the request's method and the whole path matches its
 * regular expression), against the reads upstream producers make and what must stay closed.
 */
class RegistryPublicRouteTests {

    private static final String APP = "0123456789abcdef0123456789abcdef";

    /** The requests the examples' clients were seen making against the registry (its access log, in the e2e tests). */
    @ParameterizedTest
    @ValueSource(strings = {
            // Confluent's Python client and the Node example: the latest schema of the app's subject
            "/apis/ccompat/v7/subjects/integration.events." + APP + "-value/versions/latest",
            "/apis/ccompat/v7/subjects/directory.users." + APP + "-value/versions/latest",
            // Confluent's Java serializer with a pinned version, and deserializers by schema id
            "/apis/ccompat/v7/subjects/integration.events." + APP + "-value/versions/3",
            "/apis/ccompat/v7/schemas/ids/19",
            "/apis/ccompat/v7/schemas/ids/19/schema",
            // Apicurio's serde (the Java example): the latest branch, then the content by its global id
            "/apis/registry/v3/groups/default/artifacts/integration.events." + APP + "-value/versions/branch%3Dlatest",
            "/apis/registry/v3/groups/default/artifacts/integration.events." + APP + "-value/versions/branch=latest",
            "/apis/registry/v3/ids/globalIds/19",
            "/apis/registry/v3/ids/contentIds/7/references"})
    void theReadsOfProducersPass(String path) {
        assertThat(passes("GET", path)).as("GET " + path).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/apis/ccompat/v7/subjects", // would name every app
            "/apis/ccompat/v7/subjects/",
            "/apis/ccompat/v7/subjects/integration.events." + APP + "-value/versions", // fine to read, but not needed
            "/apis/ccompat/v7/subjects/chat.messages-value/versions/latest", // services' own topics
            "/apis/ccompat/v7/subjects/integration.events-value/versions/latest",
            "/apis/ccompat/v7/subjects/integration.events." + APP + "-value/versions/latest/../../../../config",
            "/apis/ccompat/v7/config",
            "/apis/ccompat/v7/mode",
            "/apis/registry/v3/search/artifacts",
            "/apis/registry/v3/groups",
            "/apis/registry/v3/admin/rules",
            "/apis/registry/v3/system/info",
            "/ui/",
            "/"})
    void listingsSettingsAndOtherSubjectsDoNot(String path) {
        assertThat(passes("GET", path)).as("GET " + path).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"})
    void nothingButGetPasses(String method) {
        assertThat(passes(method, "/apis/ccompat/v7/subjects/integration.events." + APP + "-value/versions/latest"))
                .isFalse();
        assertThat(passes(method, "/apis/registry/v3/ids/globalIds/19")).isFalse();
    }

    @Test
    void itRendersOverProdMatchingTheSchemasAndRoutesToTheRegistrysService() {
        List<Manifest> rendered = Project.render("prod", "registry-public");

        assertThat(SchemaCheck.violations(rendered)).isEmpty();
        JsonNode backend = route().spec().path("rules").get(0).path("backendRefs").get(0);
        Manifest service = Manifests.ofKind(rendered, "Service")
                .filter(s -> s.name().equals(backend.path("name").asText())).findFirst().orElseThrow();
        assertThat(service.spec().path("ports").findValuesAsText("port")).contains(backend.path("port").asText());
        Manifest policy = Manifests.ofKind(rendered, "NetworkPolicy")
                .filter(p -> p.name().equals("apicurio-registry-from-gateway")).findFirst().orElseThrow();
        assertThat(policy.spec().path("podSelector").path("matchLabels")).isEqualTo(service.spec().path("selector"));
    }

    /** Gateways evaluate RE2; Java's syntax is a superset, so the route must avoid what RE2 lacks. */
    @Test
    void theExpressionsAreRe2() {
        for (Pattern pattern : patterns()) {
            assertThat(pattern.pattern()).doesNotContain("(?=", "(?!", "(?<", "\\1", "++", "*+", "?+");
        }
        assertThat(patterns()).hasSize(2);
    }

    private static boolean passes(String method, String path) {
        for (JsonNode rule : route().spec().path("rules")) {
            for (JsonNode match : rule.path("matches")) {
                boolean methodMatches = match.path("method").isMissingNode() || match.path("method").asText().equals(method);
                if (methodMatches && Pattern.compile(regex(match)).matcher(path).matches()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<Pattern> patterns() {
        List<Pattern> patterns = new ArrayList<>();
        route().spec().path("rules").forEach(rule -> rule.path("matches").forEach(match ->
                patterns.add(Pattern.compile(regex(match)))));
        return patterns;
    }

    private static String regex(JsonNode match) {
        assertThat(match.path("path").path("type").asText()).isEqualTo("RegularExpression");
        return match.path("path").path("value").asText();
    }

    private static Manifest route() {
        return Manifests.ofKind(Manifests.parse(Project.K8S.resolve("components/registry-public/registry-public.yaml")),
                "HTTPRoute").findFirst().orElseThrow();
    }
}
