package io.switchboard.auth.tokens;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.switchboard.auth.AuthProperties;
import io.switchboard.platform.problems.ErrorCode;
import io.switchboard.platform.problems.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Brute-force protection of the token endpoint (Bucket4j token buckets, {@code N} =
 * {@code tokenRequestsPerMinute}). Failed authentications are what is counted against a caller,
 * and they are counted by where they come from: at most {@code N} a minute per client address and
 * claimed App ID, {@code 5 N} per client address whatever the App ID, and every request at most
 * {@code 10 N} per address. A source over a limit gets 429 {@code rate-limited} with
 * {@code Retry-After}, even with a correct certificate: its own failures locked it out.
 *
 * <p>Nothing is counted per App ID alone: App IDs are public (every token names its app), so an
 * outsider naming an app could otherwise lock that app out. Certificates are long random secrets,
 * which is what makes guessing them hopeless; these limits keep a guesser from costing the service
 * more than a trickle of certificate checks. The client address is the one Tomcat resolves,
 * honouring {@code X-Forwarded-For} from the proxies {@code server.tomcat.remoteip} trusts.
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
        String address = request.getRemoteAddr();
        String appId = clientId(request);
        List<Bucket> failures = appId == null ? List.of(failuresFrom(address))
                : List.of(failuresFrom(address), bucket("failures:" + address + "\n" + appId, perMinute));
        Bucket requests = bucket("requests:" + address, perMinute * 10L);
        long waitNanos = failures.stream().mapToLong(bucket -> bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill())
                .max().orElse(0);
        if (waitNanos == 0) {
            waitNanos = requests.tryConsumeAndReturnRemaining(1).getNanosToWaitForRefill();
        }
        if (waitNanos > 0) {
            refuse(response, waitNanos);
            return;
        }
        chain.doFilter(request, response);
        if (response.getStatus() == HttpStatus.UNAUTHORIZED.value()) {
            failures.forEach(bucket -> bucket.tryConsume(1));
        }
    }

    private Bucket failuresFrom(String address) {
        return bucket("failures:" + address, perMinute * 5L);
    }

    private static void refuse(HttpServletResponse response, long waitNanos) throws IOException {
        long retryAfter = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(waitNanos) + 1);
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
        Problems.write(response, Problems.of(ErrorCode.RATE_LIMITED,
                "Too many token requests or failed attempts from this client; retry after " + retryAfter + " s"));
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
