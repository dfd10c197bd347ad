package io.switchboard.platform.web;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.FilterChain;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The admission bound, with requests held inside the chain as a busy service holds them. */
class AdmissionFilterTests {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final AdmissionFilter filter = new AdmissionFilter(2, 2, 2, Duration.ofMillis(200), meters);
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch twoInside = new CountDownLatch(2);
    private final FilterChain busy = holding(twoInside, release);

    @Test
    void beyondTheBoundARequestWaitsItsTurnThenIsRefusedWithRetryAfterAndHealthIsNeverRefused() throws Exception {
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<MockHttpServletResponse> first = clients.submit(() -> send("/v1/messages", busy));
            Future<MockHttpServletResponse> second = clients.submit(() -> send("/v1/messages", busy));
            assertThat(twoInside.await(5, TimeUnit.SECONDS)).isTrue();

            long started = System.nanoTime();
            MockHttpServletResponse refused = send("/v1/messages", (request, response) -> { });
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("waited in line first")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(150));
            assertThat(refused.getStatus()).isEqualTo(503);
            assertThat(refused.getContentType()).isEqualTo("application/problem+json");
            assertThat(refused.getHeader("Retry-After")).isEqualTo("1");
            JsonNode problem = JsonMapper.shared().readTree(refused.getContentAsString());
            assertThat(problem.get("code").asString()).isEqualTo("overloaded");
            assertThat(meters.counter("switchboard.http.requests.refused").count()).isEqualTo(1);
            assertThat(meters.get("switchboard.http.requests.admitted").gauge().value()).isEqualTo(2);

            MockHttpServletResponse health = send("/actuator/health/readiness", (request, response) ->
                    ((MockHttpServletResponse) response).setStatus(200));
            assertThat(health.getStatus()).as("health while full").isEqualTo(200);

            release.countDown();
            assertThat(first.get(5, TimeUnit.SECONDS).getStatus()).isEqualTo(201);
            assertThat(second.get(5, TimeUnit.SECONDS).getStatus()).isEqualTo(201);
            assertThat(send("/v1/messages", (request, response) -> ((MockHttpServletResponse) response).setStatus(201))
                    .getStatus()).as("room again").isEqualTo(201);
        }
    }

    @Test
    void aRequestInLineGetsInWhenOneFinishesWithinTheWait() throws Exception {
        AdmissionFilter patient = new AdmissionFilter(1, 1, 1, Duration.ofSeconds(5), meters);
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<MockHttpServletResponse> working = clients.submit(() -> send(patient, "/v1/messages",
                    holding(inside, finish)));
            assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<MockHttpServletResponse> waiting = CompletableFuture.supplyAsync(() -> send(patient,
                    "/v1/messages", (request, response) -> ((MockHttpServletResponse) response).setStatus(201)), clients);
            await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> !waiting.isDone());
            finish.countDown();
            assertThat(working.get(5, TimeUnit.SECONDS).getStatus()).isEqualTo(201);
            assertThat(waiting.get(5, TimeUnit.SECONDS).getStatus()).isEqualTo(201);
        }
    }

    @Test
    void oneAppFillsOnlyItsShareAndAnotherAppIsStillServed() throws Exception {
        AdmissionFilter fair = new AdmissionFilter(4, 2, 1, Duration.ofMillis(200), meters);
        CountDownLatch inside = new CountDownLatch(2);
        CountDownLatch finish = new CountDownLatch(1);
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 2; i++) {
                clients.submit(() -> send(fair, "/v1/messages", bearerOf("app-a"), holding(inside, finish)));
            }
            assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();

            MockHttpServletResponse thirdOfA = send(fair, "/v1/messages", bearerOf("app-a"), answering(201));
            MockHttpServletResponse ofB = send(fair, "/v1/messages", bearerOf("app-b"), answering(201));

            assertThat(thirdOfA.getStatus()).isEqualTo(503);
            assertThat(thirdOfA.getContentAsString()).contains("this app's requests");
            assertThat(ofB.getStatus()).isEqualTo(201);
            finish.countDown();
        }
    }

    @Test
    void requestsWithoutATokenHaveASmallShareOfTheirOwn() throws Exception {
        AdmissionFilter fair = new AdmissionFilter(4, 2, 1, Duration.ofMillis(200), meters);
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            clients.submit(() -> send(fair, "/oauth2/token", null, holding(inside, finish)));
            assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();

            MockHttpServletResponse anotherWithoutToken = send(fair, "/oauth2/token", "Basic YTpi", answering(200));
            MockHttpServletResponse ofAnApp = send(fair, "/v1/messages", bearerOf("app-a"), answering(201));

            assertThat(anotherWithoutToken.getStatus()).isEqualTo(503);
            assertThat(anotherWithoutToken.getContentAsString()).contains("requests without a token");
            assertThat(ofAnApp.getStatus()).isEqualTo(201);
            finish.countDown();
        }
    }

    /** The app is read from the token as it comes, unverified: admission runs before the signature check. */
    private static String bearerOf(String appId) {
        Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
        return "Bearer " + encoder.encodeToString("{\"alg\":\"ES256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + encoder.encodeToString(("{\"app_id\":\"" + appId + "\"}").getBytes(StandardCharsets.UTF_8)) + ".sig";
    }

    private static FilterChain answering(int status) {
        return (request, response) -> ((MockHttpServletResponse) response).setStatus(status);
    }

    /** A request the service works on until {@code release}: counts {@code inside} down on entering, answers 201. */
    private static FilterChain holding(CountDownLatch inside, CountDownLatch release) {
        return (request, response) -> {
            inside.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ((MockHttpServletResponse) response).setStatus(201);
        };
    }

    private MockHttpServletResponse send(String path, FilterChain chain) {
        return send(filter, path, chain);
    }

    private static MockHttpServletResponse send(AdmissionFilter filter, String path, FilterChain chain) {
        return send(filter, path, null, chain);
    }

    private static MockHttpServletResponse send(AdmissionFilter filter, String path, String authorization, FilterChain chain) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", path);
        if (authorization != null) {
            request.addHeader("Authorization", authorization);
        }
        MockHttpServletResponse response = new MockHttpServletResponse();
        try {
            filter.doFilter(request, response, chain);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return response;
    }
}
