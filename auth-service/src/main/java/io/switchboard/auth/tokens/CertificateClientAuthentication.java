package io.switchboard.auth.tokens;

import io.switchboard.auth.apps.App;
import io.switchboard.auth.apps.Apps;
import io.switchboard.auth.audit.TokenUsage;
import io.switchboard.auth.certificates.Certificates;
import io.switchboard.platform.problems.ApiException;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;

import java.util.Optional;

/**
 * Authenticates an app at the token endpoint with App ID + App Certificate (client_secret_basic
 * or client_secret_post): either of its active certificates is accepted, so rotation needs no
 * downtime. A suspended app is refused even with a correct certificate ({@code unauthorized_client}).
 * Spring Authorization Server does everything else (grant, scopes, token).
 */
class CertificateClientAuthentication implements AuthenticationProvider {

    /** OAuth error for a suspended app (RFC 6749 has none more specific). */
    static final String APP_SUSPENDED = "unauthorized_client";

    private final Apps apps;
    private final Certificates certificates;
    private final AppClients clients;
    private final TokenUsage usage;

    CertificateClientAuthentication(Apps apps, Certificates certificates, AppClients clients, TokenUsage usage) {
        this.apps = apps;
        this.certificates = certificates;
        this.clients = clients;
        this.usage = usage;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        OAuth2ClientAuthenticationToken request = (OAuth2ClientAuthenticationToken) authentication;
        ClientAuthenticationMethod method = request.getClientAuthenticationMethod();
        if (!ClientAuthenticationMethod.CLIENT_SECRET_BASIC.equals(method)
                && !ClientAuthenticationMethod.CLIENT_SECRET_POST.equals(method)) {
            return null;
        }
        String appId = String.valueOf(request.getPrincipal());
        Optional<App> app = find(appId);
        Optional<String> certificateId = app.isEmpty() || request.getCredentials() == null ? Optional.empty()
                : certificates.authenticate(appId, request.getCredentials().toString());
        if (certificateId.isEmpty()) {
            app.ifPresent(a -> usage.count(TokenUsage.Kind.TOKEN_REQUESTS_REFUSED, a.appId()));
            throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT,
                    "Unknown App ID or wrong App Certificate", null));
        }
        if (!app.get().acceptsNewTokens(java.time.Instant.now())) {
            usage.count(TokenUsage.Kind.TOKEN_REQUESTS_REFUSED, appId);
            throw new OAuth2AuthenticationException(new OAuth2Error(APP_SUSPENDED, "The app is suspended", null));
        }
        return new OAuth2ClientAuthenticationToken(clients.toClient(app.get(), certificateId.get()), method,
                request.getCredentials());
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return OAuth2ClientAuthenticationToken.class.isAssignableFrom(authentication);
    }

    private Optional<App> find(String appId) {
        try {
            return Optional.of(apps.get(appId));
        } catch (ApiException unknown) {
            return Optional.empty();
        }
    }
}
