package io.switchboard.platform.security;

import io.switchboard.platform.problems.ErrorCode;
import io.switchboard.platform.problems.Problems;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * Problem documents for requests refused by the security filters, before any controller runs:
 * 401 {@code unauthenticated} for a missing or invalid token, 403 {@code forbidden} for a token
 * without the required scope. A well-formed token refused for its claims (expired, app suspended,
 * user deactivated, token revoked...) is told why, in the detail and in {@code WWW-Authenticate}
 * (RFC 6750 {@code error_description}), so a client knows not to retry it; a token that does not
 * even verify is only called invalid.
 */
public final class ProblemSecurityHandlers {

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

    public static AccessDeniedHandler accessDeniedHandler() {
        return (request, response, e) -> Problems.write(response,
                Problems.of(ErrorCode.FORBIDDEN, "The access token lacks the scope this operation needs"));
    }
}
