package io.switchboard.auth.tokens;

import io.switchboard.platform.problems.ErrorCode;
import io.switchboard.platform.problems.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.ProblemDetail;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;

import java.io.IOException;

/**
 * Token endpoint errors as problem documents that are also RFC 6749 error responses: the body
 * carries our stable {@code code} and the OAuth {@code error} / {@code error_description}, so both
 * kinds of client understand it.
 */
class TokenEndpointErrors implements AuthenticationFailureHandler {

    @Override
    public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
                                        AuthenticationException exception) throws IOException {
        OAuth2Error error = exception instanceof OAuth2AuthenticationException oauth ? oauth.getError()
                : new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST);
        ErrorCode code = switch (error.getErrorCode()) {
            case OAuth2ErrorCodes.INVALID_CLIENT -> ErrorCode.INVALID_CLIENT;
            case OAuth2ErrorCodes.INVALID_GRANT -> ErrorCode.INVALID_GRANT;
            case OAuth2ErrorCodes.INVALID_SCOPE -> ErrorCode.INVALID_SCOPE;
            case OAuth2ErrorCodes.UNSUPPORTED_GRANT_TYPE -> ErrorCode.UNSUPPORTED_GRANT_TYPE;
            case OAuth2ErrorCodes.UNAUTHORIZED_CLIENT -> ErrorCode.APP_SUSPENDED;
            default -> ErrorCode.INVALID_TOKEN_REQUEST;
        };
        String description = error.getDescription() == null ? code.title() : error.getDescription();
        ProblemDetail problem = Problems.of(code, description);
        problem.setProperty("error", error.getErrorCode());
        problem.setProperty("error_description", description);
        if (code == ErrorCode.INVALID_CLIENT) {
            response.setHeader("WWW-Authenticate", "Basic realm=\"switchboard\"");
        }
        Problems.write(response, problem);
    }
}
