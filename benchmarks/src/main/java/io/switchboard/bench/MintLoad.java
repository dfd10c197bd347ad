package io.switchboard.bench;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ./switchboard bench mint}: user-token minting over HTTP against a running auth-service
 * (the local stack by default): creates an app without a rate limit, provisions
 * {@code BENCH_USERS} (1,000) users on membership-service (only an app's users get tokens), takes an
 * app token, then keeps {@code concurrency} requests in flight for {@code seconds} after a warm-up,
 * the users in turn, and prints tokens/s and latency percentiles.
 */
public final class MintLoad {

    private static final JsonMapper JSON = JsonMapper.shared();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private MintLoad() {
    }

    public static void main(String[] args) throws Exception {
        String auth = System.getenv().getOrDefault("SWITCHBOARD_AUTH_URL", "http://127.0.0.1:8081");
        String membership = System.getenv().getOrDefault("SWITCHBOARD_MEMBERSHIP_URL", "http://127.0.0.1:8082");
        Path data = Path.of(System.getenv().getOrDefault("SWITCHBOARD_DATA_DIR", ".switchboard"));
        String admin = "Basic " + base64("admin:" + Files.readString(data.resolve("admin-password")).strip());
        int concurrency = Integer.parseInt(System.getenv().getOrDefault("BENCH_CONCURRENCY", "16"));
        int seconds = Integer.parseInt(System.getenv().getOrDefault("BENCH_SECONDS", "20"));
        int users = Integer.parseInt(System.getenv().getOrDefault("BENCH_USERS", "1000"));

        JsonNode app = send(HttpRequest.newBuilder(URI.create(auth + "/v1/apps")).header("Authorization", admin)
                .header("Content-Type", "application/json").POST(body("{\"name\":\"mint benchmark\"}")));
        String appId = app.get("appId").asString();
        send(HttpRequest.newBuilder(URI.create(auth + "/v1/apps/" + appId)).header("Authorization", admin)
                .header("Content-Type", "application/json").method("PATCH", body("{\"requestsPerSecond\":100000}")));
        Thread.sleep(2000);
        JsonNode token = send(HttpRequest.newBuilder(URI.create(auth + "/oauth2/token"))
                .header("Authorization", "Basic " + base64(appId + ":" + app.get("appCertificate").asString()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(body("grant_type=client_credentials&scope=" + URLEncoder.encode("user-tokens:mint users:write",
                        StandardCharsets.UTF_8))));
        String bearer = "Bearer " + token.get("access_token").asString();
        provision(membership, bearer, users);

        run(auth, bearer, concurrency, users, 5, false);
        Result result = run(auth, bearer, concurrency, users, seconds, true);
        System.out.printf(Locale.ROOT, "user-token minting over HTTP: %,.0f tokens/s (%d requests in %d s, %d in flight), "
                        + "latency p50 %.1f ms, p99 %.1f ms, errors %d%n", result.count / (double) seconds, result.count,
                seconds, concurrency, result.p50, result.p99, result.errors);
    }

    private record Result(long count, long errors, double p50, double p99) {
    }

    /** Users u0 … u(count-1), imported 1,000 at a time (the import's limit). */
    private static void provision(String membership, String bearer, int count) throws Exception {
        for (int first = 0; first < count; first += 1000) {
            StringBuilder users = new StringBuilder();
            for (int i = first; i < Math.min(count, first + 1000); i++) {
                users.append(i == first ? "" : ",").append("{\"userId\":\"u").append(i).append("\"}");
            }
            send(HttpRequest.newBuilder(URI.create(membership + "/v1/users/import")).header("Authorization", bearer)
                    .header("Content-Type", "application/json").POST(body("{\"users\":[" + users + "]}")));
        }
    }

    private static Result run(String auth, String bearer, int concurrency, int users, int seconds, boolean measure)
            throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong errors = new AtomicLong();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < concurrency; w++) {
                int worker = w;
                workers.submit(() -> {
                    long i = 0;
                    while (running.get()) {
                        long start = System.nanoTime();
                        try {
                            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                                            URI.create(auth + "/v1/users/u" + (worker + concurrency * i++) % users
                                                    + "/tokens"))
                                    .header("Authorization", bearer).header("Content-Type", "application/json")
                                    .POST(body("{}")).build(), HttpResponse.BodyHandlers.ofString());
                            if (response.statusCode() == 201) {
                                latencies.add(System.nanoTime() - start);
                            } else {
                                errors.incrementAndGet();
                            }
                        } catch (Exception e) {
                            errors.incrementAndGet();
                        }
                    }
                    return null;
                });
            }
            Thread.sleep(seconds * 1000L);
            running.set(false);
        }
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        if (!measure || sorted.isEmpty()) {
            return new Result(sorted.size(), errors.get(), 0, 0);
        }
        return new Result(sorted.size(), errors.get(), sorted.get(sorted.size() / 2) / 1e6,
                sorted.get((int) (sorted.size() * 0.99)) / 1e6);
    }

    private static JsonNode send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private static HttpRequest.BodyPublisher body(String text) {
        return HttpRequest.BodyPublishers.ofString(text);
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
