package io.switchboard.platform.ratelimit;

import io.switchboard.platform.problems.ErrorCode;
import io.switchboard.platform.problems.Problems;
import io.switchboard.platform.security.TokenClaims;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Applies the per-app limit to every authenticated request. Every answer carries the
 * {@code RateLimit-Limit}, {@code RateLimit-Remaining} and {@code RateLimit-Reset} headers (IETF
 * rate-limit headers draft); a refused request gets 429 {@code rate-limited} with
 * {@code Retry-After} in seconds.
 */
public class AppRateLimitFilter extends OncePerRequestFilter {

    private final AppRateLimiter limiter;

    public AppRateLimitFilter(AppRateLimiter limiter) {
        this.limiter = limiter;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (!(authentication instanceof JwtAuthenticationToken token)
                || token.getToken().getClaimAsString(TokenClaims.APP_ID) == null) {
            chain.doFilter(request, response);
            return;
        }
        AppRateLimiter.Decision decision = limiter.tryAcquire(token.getToken().getClaimAsString(TokenClaims.APP_ID));
        long resetSeconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(decision.nanosToWait()) + 1);
        response.setHeader("RateLimit-Limit", Long.toString(decision.limit()));
        response.setHeader("RateLimit-Remaining", Long.toString(decision.remaining()));
        if (decision.allowed()) {
            response.setHeader("RateLimit-Reset", "0");
            chain.doFilter(request, response);
            return;
        }
        response.setHeader("RateLimit-Reset", Long.toString(resetSeconds));
        response.setHeader("Retry-After", Long.toString(resetSeconds));
        Problems.write(response, Problems.of(ErrorCode.RATE_LIMITED,
                "The app's request rate limit is exhausted; retry after " + resetSeconds + " s"));
    }
}
