package io.switchboard.auth.tokens;

import io.switchboard.auth.AuthProperties;
import io.switchboard.auth.apps.Apps;
import io.switchboard.auth.audit.TokenUsage;
import io.switchboard.auth.certificates.Certificates;
import jakarta.servlet.Filter;
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
    private final TokenRequestLimiter requestLimiter;

    TokenEndpoint(Apps apps, Certificates certificates, AppClients clients, TokenUsage usage, AuthProperties properties) {
        this.clientAuthentication = new CertificateClientAuthentication(apps, certificates, clients, usage);
        this.requestLimiter = new TokenRequestLimiter(properties);
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
}
