package io.switchboard.platform.web;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.platform.problems.ErrorCode;
import io.switchboard.platform.problems.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.time.Duration;

/**
 * Load shedding: at most {@code maxConcurrent} requests are worked on at once; the next wait in
 * line (first come, first served) up to {@code maxQueueWait}, then get 503 {@code overloaded} with
 * {@code Retry-After}. Every request runs on a virtual thread of its own, so without a bound an
 * overload shares the CPU among all of them: every answer comes late, clients time out and retry,
 * and the service goes on working for callers that have given up. Bounded, it answers what it can
 * at full speed and refuses the rest at once. Health and metrics ({@code /actuator}) are never
 * refused: a busy instance must not look dead.
 */
public class AdmissionFilter extends OncePerRequestFilter {

    private static final String RETRY_AFTER_SECONDS = "1";

    private final Bulkhead admissions;
    private final Counter refused;

    public AdmissionFilter(int maxConcurrent, Duration maxQueueWait, MeterRegistry meters) {
        this.admissions = Bulkhead.of("http-requests", BulkheadConfig.custom()
                .maxConcurrentCalls(maxConcurrent).maxWaitDuration(maxQueueWait).fairCallHandlingStrategyEnabled(true)
                .build());
        this.refused = Counter.builder("switchboard.http.requests.refused")
                .description("Requests refused with 503 overloaded: the instance was at capacity for max-queue-wait")
                .register(meters);
        Gauge.builder("switchboard.http.requests.admitted", admissions,
                        b -> maxConcurrent - b.getMetrics().getAvailableConcurrentCalls())
                .description("Requests being worked on now (at most max-concurrent-requests)").register(meters);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return request.getRequestURI().startsWith("/actuator/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!admissions.tryAcquirePermission()) {
            refused.increment();
            response.setHeader("Retry-After", RETRY_AFTER_SECONDS);
            Problems.write(response, Problems.of(ErrorCode.OVERLOADED,
                    "The service is working on all the requests it can; retry after " + RETRY_AFTER_SECONDS + " s"));
            return;
        }
        try {
            chain.doFilter(request, response);
        } finally {
            admissions.onComplete();
        }
    }
}
