package io.switchboard.auth.guessing;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
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
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Brute-force protection of a login (Bucket4j token buckets, {@code N} per minute): failed
 * authentications (answers 401) are what is counted against a caller, and they are counted by where
 * they come from — at most {@code N} a minute per client address and claimed identity, {@code 5 N}
 * per client address whatever identity it claims — and, where attempts cost enough to bound them
 * all (the token endpoint), every request at most {@code 10 N} per address. A source over a limit gets 429 {@code rate-limited} with {@code Retry-After}, even with
 * the right credential: its own failures locked it out.
 *
 * <p>Nothing is counted per claimed identity alone: an App ID is public (every token names its
 * app), so an outsider naming an app could otherwise lock that app out; a correct credential from
 * another source is never refused for someone else's failures. The long random App Certificates
 * are what makes guessing hopeless; these limits keep a guesser from costing more than a trickle of
 * credential checks. The client address is the one Tomcat resolves, honouring
 * {@code X-Forwarded-For} from the proxies {@code server.tomcat.remoteip} trusts.
 */
public class GuessingLimiter extends OncePerRequestFilter {

    /** A refused attempt, for the audit log: where from and whom it claimed to be (never a secret). */
    public record Failure(String address, String claimed) {
    }

    /** What to do with each failed attempt (count it, audit it). */
    public interface FailureListener {
        void failed(Failure failure);
    }

    private final String name;
    private final int perMinute;
    private final boolean boundAllRequests;
    private final Function<HttpServletRequest, Boolean> applies;
    private final Function<HttpServletRequest, String> claimed;
    private final FailureListener onFailure;
    private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
            .maximumSize(200_000).expireAfterAccess(Duration.ofMinutes(10)).build();

    /**
     * @param name             what is guarded, in keys and in the refusal ("token requests", "admin logins")
     * @param boundAllRequests whether successful attempts count too ({@code 10 N} per address)
     * @param applies          which requests are attempts
     * @param claimed          the identity an attempt claims, or null
     */
    public GuessingLimiter(String name, int perMinute, boolean boundAllRequests, Function<HttpServletRequest, Boolean> applies,
                           Function<HttpServletRequest, String> claimed, FailureListener onFailure) {
        this.name = name;
        this.perMinute = perMinute;
        this.boundAllRequests = boundAllRequests;
        this.applies = applies;
        this.claimed = claimed;
        this.onFailure = onFailure;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !applies.apply(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String address = request.getRemoteAddr();
        String identity = claimed.apply(request);
        List<Bucket> failures = new ArrayList<>(List.of(bucket("failures:" + address, perMinute * 5L)));
        if (identity != null) {
            failures.add(bucket("failures:" + address + "\n" + identity, perMinute));
        }
        long waitNanos = failures.stream().mapToLong(bucket -> bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill())
                .max().orElse(0);
        if (waitNanos == 0 && boundAllRequests) {
            waitNanos = bucket("requests:" + address, perMinute * 10L).tryConsumeAndReturnRemaining(1)
                    .getNanosToWaitForRefill();
        }
        if (waitNanos > 0) {
            refuse(response, waitNanos);
            return;
        }
        chain.doFilter(request, response);
        if (response.getStatus() == HttpStatus.UNAUTHORIZED.value()) {
            failures.forEach(bucket -> bucket.tryConsume(1));
            onFailure.failed(new Failure(address, identity));
        }
    }

    private void refuse(HttpServletResponse response, long waitNanos) throws IOException {
        long retryAfter = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(waitNanos) + 1);
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
        Problems.write(response, Problems.of(ErrorCode.RATE_LIMITED, "Too many " + name
                + " or failed attempts from this client; retry after " + retryAfter + " s"));
    }

    private Bucket bucket(String key, long perMinuteLimit) {
        return buckets.get(name + ":" + key, k -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(perMinuteLimit).refillGreedy(perMinuteLimit, Duration.ofMinutes(1)).build())
                .build());
    }

    /** The user name of an HTTP Basic {@code Authorization} header, or null. */
    public static String basicUser(HttpServletRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon > 0 ? decoded.substring(0, colon) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
