package io.switchboard.platform.security;

import io.switchboard.platform.problems.ErrorCode;
import io.switchboard.platform.problems.Problems;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * Problem documents for requests refused by the security filters, before any controller runs:
 * 401 {@code unauthenticated} for a missing or invalid token, 403 {@code forbidden} for a token
 * without the required scope.
 */
public final class ProblemSecurityHandlers {

    private ProblemSecurityHandlers() {
    }

    public static AuthenticationEntryPoint entryPoint() {
        return (request, response, e) -> {
            response.setHeader("WWW-Authenticate", "Bearer");
            Problems.write(response, Problems.of(ErrorCode.UNAUTHENTICATED, "A valid access token is required"));
        };
    }

    public static AccessDeniedHandler accessDeniedHandler() {
        return (request, response, e) -> Problems.write(response,
                Problems.of(ErrorCode.FORBIDDEN, "The access token lacks the scope this operation needs"));
    }
}
