package io.switchboard.platform.security;

import io.switchboard.platform.problems.ErrorCode;
import io.switchboard.platform.problems.Problems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;

/**
 * Problem documents for requests refused by the security filters, before any controller runs:
 * 401 {@code unauthenticated} for a missing or invalid token, 403 {@code forbidden} for a token
 * without the required scope. A well-formed token refused for its claims (expired, app suspended,
 * user deactivated, token revoked...) is told why, in the detail and in {@code WWW-Authenticate}
 * (RFC 6750 {@code error_description}), so a client knows not to retry it; a token that does not
 * even verify is only called invalid. When a token cannot be verified at all because the key set
 * could not be fetched (auth-service down or slow), the answer is 503 {@code auth-unavailable} with
 * {@code Retry-After}: the token may well be good, and the client should retry, not sign in again.
 */
public final class ProblemSecurityHandlers {

    private static final Logger log = LoggerFactory.getLogger(ProblemSecurityHandlers.class);

    private ProblemSecurityHandlers() {
    }

    public static AuthenticationEntryPoint entryPoint() {
        return (request, response, e) -> {
            String refusal = e.getCause() instanceof JwtValidationException invalid ? invalid.getMessage() : null;
            if (refusal == null) {
                response.setHeader("WWW-Authenticate", e instanceof InvalidBearerTokenException
                        ? "Bearer error=\"invalid_token\"" : "Bearer");
                Problems.write(response, Problems.of(ErrorCode.UNAUTHENTICATED, "A valid access token is required"));
                return;
            }
            String description = refusal.replaceAll("[^\\x20-\\x7e]|[\"\\\\]", " ");
            response.setHeader("WWW-Authenticate", "Bearer error=\"invalid_token\", error_description=\"" + description + "\"");
            Problems.write(response, Problems.of(ErrorCode.UNAUTHENTICATED, "The access token was refused: " + description));
        };
    }

    /**
     * The bearer token filter's failure handler: Spring Security's own rethrows an
     * {@link AuthenticationServiceException} (the verifier could not run), which would reach the
     * servlet container as a 500.
     */
    public static AuthenticationFailureHandler failureHandler() {
        AuthenticationEntryPoint entryPoint = entryPoint();
        return (request, response, e) -> {
            if (e instanceof AuthenticationServiceException) {
                log.warn("Could not verify an access token: {}", e.getMessage());
                response.setHeader("Retry-After", "1");
                Problems.write(response, Problems.of(ErrorCode.AUTH_UNAVAILABLE,
                        "The access token could not be verified right now (the signing keys could not be read); retry"));
                return;
            }
            entryPoint.commence(request, response, e);
        };
    }

    /** Puts {@link #failureHandler()} on the resource server's bearer token filter. */
    public static ObjectPostProcessor<BearerTokenAuthenticationFilter> bearerTokenFailures() {
        return new ObjectPostProcessor<>() {
            @Override
            public <O extends BearerTokenAuthenticationFilter> O postProcess(O filter) {
                filter.setAuthenticationFailureHandler(failureHandler());
                return filter;
            }
        };
    }

    public static AccessDeniedHandler accessDeniedHandler() {
        return (request, response, e) -> Problems.write(response,
                Problems.of(ErrorCode.FORBIDDEN, "The access token lacks the scope this operation needs"));
    }
}
