package io.switchboard.auth.tokens;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.switchboard.auth.AuthProperties;
import io.switchboard.platform.problems.ErrorCode;
import io.switchboard.platform.problems.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * Brute-force protection of the token endpoint (Bucket4j): at most {@code tokenRequestsPerMinute}
 * requests per App ID and ten times that per client address, each a token bucket. Apps cache their
 * token for its lifetime, so legitimate clients stay far below the limit; guessing certificates
 * does not. A refused request gets 429 {@code rate-limited} with {@code Retry-After}.
 */
class TokenRequestLimiter extends OncePerRequestFilter {

    private final int perMinute;
    private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
            .maximumSize(200_000).expireAfterAccess(Duration.ofMinutes(10)).build();

    TokenRequestLimiter(AuthProperties properties) {
        this.perMinute = properties.tokenRequestsPerMinute();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod()) || !request.getRequestURI().endsWith("/oauth2/token");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        ConsumptionProbe byAddress = bucket("address:" + request.getRemoteAddr(), perMinute * 10L)
                .tryConsumeAndReturnRemaining(1);
        String appId = clientId(request);
        ConsumptionProbe byApp = appId == null ? byAddress
                : bucket("app:" + appId, perMinute).tryConsumeAndReturnRemaining(1);
        if (byAddress.isConsumed() && byApp.isConsumed()) {
            chain.doFilter(request, response);
            return;
        }
        long waitNanos = Math.max(byAddress.getNanosToWaitForRefill(), byApp.getNanosToWaitForRefill());
        long retryAfter = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(waitNanos) + 1);
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
        Problems.write(response, Problems.of(ErrorCode.RATE_LIMITED,
                "Too many token requests; retry after " + retryAfter + " s"));
    }

    private Bucket bucket(String key, long perMinuteLimit) {
        return buckets.get(key, k -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(perMinuteLimit).refillGreedy(perMinuteLimit, Duration.ofMinutes(1)).build())
                .build());
    }

    /** The App ID of a client_secret_basic or client_secret_post request, without reading the body twice. */
    private static String clientId(HttpServletRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                        StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                return colon > 0 ? decoded.substring(0, colon) : null;
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return request.getParameter("client_id");
    }
}
