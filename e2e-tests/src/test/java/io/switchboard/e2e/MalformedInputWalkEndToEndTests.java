package io.switchboard.e2e;

import io.switchboard.client.SwitchboardClient;
import io.switchboard.stack.Stack;
import io.switchboard.stack.StackService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A malformed-input walk over every operation of every service's OpenAPI document, read from
 * {@code /v3/api-docs} of the running services: each operation gets odd ids, wrong types,
 * missing fields, huge values and bad encodings ({@link MalformedInputs}), with an app token and a
 * user token (the admin credential on auth-service's admin paths); and each service gets what its
 * container and security filters answer before any controller runs (encoded slashes, NUL, an 8 KB
 * header, a TRACE, a foreign origin...). No answer may be a 5xx, and every error answer must be
 * {@code application/problem+json} with a {@code code}. The counts are printed and written to
 * {@code target/malformed-input-walk.txt}.
 */
@ExtendWith(EndToEndStack.Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MalformedInputWalkEndToEndTests {

    private static final String ADMIN_PASSWORD = EndToEndStack.ADMIN_PASSWORD;
    /** Requests in flight at once: the walk is mostly waiting for answers. */
    private static final int SENDERS = 6;
    private static final List<String> AUTH_ADMIN_PATHS = List.of("/v1/apps", "/v1/audit", "/v1/signing-keys");

    private Stack stack;
    private SwitchboardClient client;
    private String appToken;
    private String userToken;

    @BeforeAll
    void anAppAndAUser(EndToEndStack e2e) {
        stack = e2e.stack();
        client = e2e.client();
        SwitchboardClient.App app = client.createApp(ADMIN_PASSWORD, "Malformed input walk");
        client.setRequestRate(ADMIN_PASSWORD, app.appId(), 100_000);
        appToken = client.appToken(app, "user-tokens:mint", "users:write", "users:read", "conversations:write",
                "conversations:read", "messages:read", "messages:write", "messages:admin", "routing:admin", "events:ingest",
                "webhooks:admin");
        client.importUsers(appToken, List.of("walker"));
        userToken = client.userToken(appToken, "walker");
    }

    @Test
    void noOperationOfAnyServiceAnswersAMalformedRequestWithA5xxOrWithoutAProblem() throws Exception {
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        Map<String, int[]> counts = new LinkedHashMap<>();
        try (ExecutorService senders = Executors.newFixedThreadPool(SENDERS)) {
            for (StackService service : StackService.values()) {
                URI base = URI.create(stack.url(service));
                JsonNode document = JsonMapper.shared().readTree(RawHttp.send(base.getHost(), base.getPort(), "GET",
                        "/v3/api-docs", Map.of(), null).body());
                MalformedInputs inputs = new MalformedInputs(document);
                List<MalformedInputs.Operation> operations = inputs.operations();
                List<Future<?>> sent = new ArrayList<>();
                for (MalformedInputs.Operation operation : operations) {
                    for (MalformedInputs.Case malformed : inputs.cases(operation)) {
                        for (String authorization : authorizations(service, operation.path())) {
                            Map<String, String> headers = new LinkedHashMap<>(malformed.headers());
                            headers.put("Authorization", authorization);
                            sent.add(senders.submit(() -> check(service, operation + " with " + malformed.what(),
                                    RawHttp.send(base.getHost(), base.getPort(), malformed.method(), malformed.target(),
                                            headers, malformed.body()), failures)));
                        }
                    }
                }
                for (MalformedInputs.Case raw : containerCases()) {
                    sent.add(senders.submit(() -> check(service, raw.what(), RawHttp.send(base.getHost(), base.getPort(),
                            raw.method(), raw.target(), raw.headers(), raw.body()), failures)));
                }
                for (Future<?> request : sent) {
                    request.get();
                }
                counts.put(service.module(), new int[] {operations.size(), sent.size()});
            }
        }
        report(counts, failures.stream().sorted().toList());
        assertThat(failures).as("answers that were a 5xx or not a problem document").isEmpty();
    }

    private List<String> authorizations(StackService service, String path) {
        if (service == StackService.AUTH && AUTH_ADMIN_PATHS.stream().anyMatch(path::startsWith)) {
            return List.of("Basic " + Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD)
                    .getBytes(StandardCharsets.UTF_8)));
        }
        return List.of("Bearer " + appToken, "Bearer " + userToken);
    }

    /** What the container and the security filters must answer as well as the controllers do. */
    private static List<MalformedInputs.Case> containerCases() {
        Map<String, String> none = Map.of();
        return List.of(
                new MalformedInputs.Case("an encoded slash", "GET", "/v1/a%2Fb", none, null),
                new MalformedInputs.Case("an encoded backslash", "GET", "/v1/a%5Cb", none, null),
                new MalformedInputs.Case("a NUL in the path", "GET", "/v1/a%00b", none, null),
                new MalformedInputs.Case("bad percent-encoding", "GET", "/v1/%ZZ", none, null),
                new MalformedInputs.Case("a semicolon path parameter", "GET", "/v1/users;jsessionid=1", none, null),
                new MalformedInputs.Case("a double slash", "GET", "//v1//users", none, null),
                new MalformedInputs.Case("a dot segment", "GET", "/v1/../actuator/env", none, null),
                new MalformedInputs.Case("an 8 KB header", "GET", "/v1/x", Map.of("X-Padding", "p".repeat(9000)), null),
                new MalformedInputs.Case("a 10 KB request line", "GET", "/v1/" + "l".repeat(10_000), none, null),
                new MalformedInputs.Case("TRACE", "TRACE", "/v1/x", none, null),
                new MalformedInputs.Case("an unknown method", "BREW", "/v1/x", none, null),
                new MalformedInputs.Case("an unknown path", "GET", "/no/such/path", none, null),
                new MalformedInputs.Case("a foreign origin", "GET", "/v1/x", Map.of("Origin", "https://evil.example"), null),
                new MalformedInputs.Case("a preflight from a foreign origin", "OPTIONS", "/v1/x",
                        Map.of("Origin", "https://evil.example", "Access-Control-Request-Method", "DELETE"), null),
                new MalformedInputs.Case("a bearer token that is not a JWT", "GET", "/v1/x",
                        Map.of("Authorization", "Bearer \u00e9\u00e9"), null),
                new MalformedInputs.Case("a body longer than declared", "POST", "/v1/x",
                        Map.of("Content-Type", "application/json", "Content-Length", "2"), "{\"a\": 1}".getBytes(StandardCharsets.UTF_8)));
    }

    private static void check(StackService service, String what, RawHttp.Response response, List<String> failures) {
        String where = service.module() + ": " + RawHttp.abbreviated(what) + " -> " + response.status();
        if (response.status() >= 500) {
            failures.add(where + " " + RawHttp.abbreviated(response.text()));
        } else if (response.status() >= 400) {
            if (!response.contentType().toLowerCase(Locale.ROOT).startsWith("application/problem+json")) {
                failures.add(where + " as " + (response.contentType().isEmpty() ? "no content type" : response.contentType())
                        + ": " + RawHttp.abbreviated(response.text()));
            } else if (!JsonMapper.shared().readTree(response.body()).has("code")) {
                failures.add(where + " without a code: " + RawHttp.abbreviated(response.text()));
            }
        }
    }

    private static void report(Map<String, int[]> counts, List<String> failures) throws Exception {
        StringBuilder report = new StringBuilder("Malformed-input walk:\n");
        int operations = 0;
        int requests = 0;
        for (Map.Entry<String, int[]> service : counts.entrySet()) {
            report.append(String.format(Locale.ROOT, "  %-20s %4d operations, %6d requests%n", service.getKey(),
                    service.getValue()[0], service.getValue()[1]));
            operations += service.getValue()[0];
            requests += service.getValue()[1];
        }
        long serverErrors = failures.stream().filter(f -> f.matches(".* -> 5\\d\\d .*")).count();
        report.append(String.format(Locale.ROOT, "  %-20s %4d operations, %6d requests; 5xx: %d, not problem+json: %d%n",
                "all", operations, requests, serverErrors, failures.size() - serverErrors));
        failures.forEach(failure -> report.append("  ").append(failure).append('\n'));
        System.out.print(report);
        Files.writeString(Path.of("target", "malformed-input-walk.txt"), report);
    }
}
