package io.switchboard.platform.web;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.platform.problems.ErrorCode;
import io.switchboard.platform.problems.Problems;
import io.switchboard.platform.security.TokenClaims;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.time.Duration;
import java.util.Base64;

/**
 * Load shedding, fair between tenants: at most {@code maxConcurrent} requests are worked on at
 * once, of which at most {@code maxConcurrentPerApp} for any one app and at most
 * {@code maxConcurrentUnauthenticated} for requests that name no app (no bearer token: the token
 * endpoint, whose form body is read before its client is known; anything without credentials).
 * The next wait in line (first come, first served) up to {@code maxQueueWait}, then get 503
 * {@code overloaded} with {@code Retry-After}. So one app within its rate limit that sends slow
 * requests, or anyone sending slow unauthenticated ones, fills only its own share and every other
 * app keeps being served.
 *
 * <p>Admission comes before the token is verified (a refused request costs no signature check), so
 * the app is read from the token unverified: a forged token is refused right after admission, by
 * the security filters, before its body is read, and holds a slot only that long. Health and
 * metrics ({@code /actuator}) are never refused: a busy instance must not look dead. Every request
 * runs on a virtual thread of its own, so without these bounds an overload shares the CPU among all
 * of them: every answer comes late, clients time out and retry, and the service goes on working for
 * callers that have given up.
 */
public class AdmissionFilter extends OncePerRequestFilter {

    private static final String RETRY_AFTER_SECONDS = "1";
    private static final int REMEMBERED_APPS = 100_000;

    private final Bulkhead admissions;
    private final Bulkhead unauthenticated;
    private final Cache<String, Bulkhead> perApp = Caffeine.newBuilder().maximumSize(REMEMBERED_APPS)
            .expireAfterAccess(Duration.ofMinutes(10)).build();
    private final BulkheadConfig perAppConfig;
    private final Counter refused;

    public AdmissionFilter(int maxConcurrent, int maxConcurrentPerApp, int maxConcurrentUnauthenticated,
                           Duration maxQueueWait, MeterRegistry meters) {
        this.admissions = Bulkhead.of("http-requests", config(maxConcurrent, maxQueueWait));
        this.unauthenticated = Bulkhead.of("http-requests-unauthenticated",
                config(maxConcurrentUnauthenticated, maxQueueWait));
        this.perAppConfig = config(maxConcurrentPerApp, maxQueueWait);
        this.refused = Counter.builder("switchboard.http.requests.refused")
                .description("Requests refused with 503 overloaded: the instance, or the caller's share of it, was "
                        + "at capacity for max-queue-wait")
                .register(meters);
        Gauge.builder("switchboard.http.requests.admitted", admissions,
                        b -> maxConcurrent - b.getMetrics().getAvailableConcurrentCalls())
                .description("Requests being worked on now (at most max-concurrent-requests)").register(meters);
    }

    private static BulkheadConfig config(int maxConcurrent, Duration maxQueueWait) {
        return BulkheadConfig.custom().maxConcurrentCalls(maxConcurrent).maxWaitDuration(maxQueueWait)
                .fairCallHandlingStrategyEnabled(true).build();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return request.getRequestURI().startsWith("/actuator/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String appId = claimedApp(request);
        Bulkhead share = appId == null ? unauthenticated : perApp.get(appId, id -> Bulkhead.of("app", perAppConfig));
        if (!share.tryAcquirePermission()) {
            refuse(response, appId == null ? "requests without a token" : "this app's requests");
            return;
        }
        try {
            if (!admissions.tryAcquirePermission()) {
                refuse(response, "all requests");
                return;
            }
            try {
                chain.doFilter(request, response);
            } finally {
                admissions.onComplete();
            }
        } finally {
            share.onComplete();
        }
    }

    private void refuse(HttpServletResponse response, String whose) throws IOException {
        refused.increment();
        response.setHeader(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
        Problems.write(response, Problems.of(ErrorCode.OVERLOADED, "The service is working on all of " + whose
                + " it takes at once; retry after " + RETRY_AFTER_SECONDS + " s"));
    }

    /** The {@code app_id} of a bearer JWT, read without verifying it; null without one. */
    static String claimedApp(HttpServletRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String[] parts = authorization.substring(7).trim().split("\\.");
        if (parts.length != 3 || parts[1].length() > 4096) {
            return null;
        }
        try {
            JsonNode claims = JsonMapper.shared().readTree(Base64.getUrlDecoder().decode(parts[1]));
            JsonNode appId = claims.path(TokenClaims.APP_ID);
            return appId.isString() && !appId.asString().isEmpty() ? appId.asString() : null;
        } catch (IllegalArgumentException | JacksonException e) {
            return null;
        }
    }
}
