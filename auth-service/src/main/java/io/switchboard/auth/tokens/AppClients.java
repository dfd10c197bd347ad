package io.switchboard.auth.tokens;

import io.switchboard.auth.AuthProperties;
import io.switchboard.auth.apps.Apps;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.stereotype.Component;

/**
 * Apps as OAuth 2.0 clients of the token endpoint: client id = App ID, client secret = App
 * Certificate (verified against its hash), grant = client credentials, scopes = the app's allowed
 * scopes. A suspended or unknown app is not a client, so it gets {@code invalid_client}.
 */
@Component
class AppClients implements RegisteredClientRepository {

    private final Apps apps;
    private final AuthProperties properties;

    AppClients(Apps apps, AuthProperties properties) {
        this.apps = apps;
        this.properties = properties;
    }

    @Override
    public RegisteredClient findByClientId(String clientId) {
        return apps.credentials(clientId)
                .filter(Apps.Credentials::active)
                .map(this::toClient)
                .orElse(null);
    }

    @Override
    public RegisteredClient findById(String id) {
        return findByClientId(id);
    }

    @Override
    public void save(RegisteredClient registeredClient) {
        throw new UnsupportedOperationException("Apps are registered through /v1/apps");
    }

    private RegisteredClient toClient(Apps.Credentials app) {
        return RegisteredClient.withId(app.appId())
                .clientId(app.appId())
                .clientSecret(app.certificateHash())
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .scopes(scopes -> scopes.addAll(app.scopes()))
                .tokenSettings(TokenSettings.builder().accessTokenTimeToLive(properties.appTokenTtl()).build())
                .build();
    }
}
