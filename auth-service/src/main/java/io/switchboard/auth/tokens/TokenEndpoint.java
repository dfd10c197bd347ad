package io.switchboard.auth.tokens;

import io.switchboard.auth.AuthProperties;
import io.switchboard.auth.apps.Apps;
import io.switchboard.auth.audit.TokenUsage;
import io.switchboard.auth.certificates.Certificates;
import io.switchboard.auth.guessing.GuessingLimiter;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.stereotype.Component;

/**
 * What Switchboard plugs into Spring Authorization Server's token endpoint: certificate
 * authentication of apps, problem+json error responses and the brute-force limiter. (Kept out of
 * the bean types Spring Security collects, so the admin's HTTP Basic login is unaffected.)
 */
@Component
public class TokenEndpoint {

    private final CertificateClientAuthentication clientAuthentication;
    private final TokenEndpointErrors errorResponses = new TokenEndpointErrors();
    private final GuessingLimiter requestLimiter;

    TokenEndpoint(Apps apps, Certificates certificates, AppClients clients, TokenUsage usage, AuthProperties properties) {
        this.clientAuthentication = new CertificateClientAuthentication(apps, certificates, clients, usage);
        this.requestLimiter = new GuessingLimiter("token requests", properties.tokenRequestsPerMinute(), true,
                request -> "POST".equals(request.getMethod()) && request.getRequestURI().endsWith("/oauth2/token"),
                TokenEndpoint::clientId, failure -> { });   // CertificateClientAuthentication counts refusals per app
    }

    public AuthenticationProvider clientAuthentication() {
        return clientAuthentication;
    }

    public AuthenticationFailureHandler errorResponses() {
        return errorResponses;
    }

    public Filter requestLimiter() {
        return requestLimiter;
    }

    /** The App ID of a client_secret_basic or client_secret_post request, without reading the body twice. */
    private static String clientId(HttpServletRequest request) {
        String basic = GuessingLimiter.basicUser(request);
        return basic != null ? basic : request.getParameter("client_id");
    }
}
