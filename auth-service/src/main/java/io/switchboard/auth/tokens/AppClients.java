package io.switchboard.auth.tokens;

import io.switchboard.auth.AuthProperties;
import io.switchboard.auth.apps.App;
import io.switchboard.auth.apps.Apps;
import io.switchboard.platform.problems.ApiException;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.stereotype.Component;

/**
 * Apps as OAuth 2.0 clients of the token endpoint: client id = App ID, grant = client
 * credentials, scopes = the app's allowed scopes. Secrets are not part of the client: they are
 * checked against the app's certificates by {@link CertificateClientAuthentication}, which records
 * which certificate authenticated in the client's settings.
 */
@Component
class AppClients implements RegisteredClientRepository {

    /** Client setting holding the id of the certificate the client authenticated with. */
    static final String CERTIFICATE_ID_SETTING = "switchboard.certificate-id";

    private final Apps apps;
    private final AuthProperties properties;

    AppClients(Apps apps, AuthProperties properties) {
        this.apps = apps;
        this.properties = properties;
    }

    @Override
    public RegisteredClient findByClientId(String clientId) {
        try {
            return toClient(apps.get(clientId), null);
        } catch (ApiException unknownApp) {
            return null;
        }
    }

    @Override
    public RegisteredClient findById(String id) {
        return findByClientId(id);
    }

    @Override
    public void save(RegisteredClient registeredClient) {
        throw new UnsupportedOperationException("Apps are registered through /v1/apps");
    }

    /** The app as a client; {@code certificateId} names the certificate it authenticated with. */
    RegisteredClient toClient(App app, String certificateId) {
        ClientSettings.Builder settings = ClientSettings.builder();
        if (certificateId != null) {
            settings.setting(CERTIFICATE_ID_SETTING, certificateId);
        }
        return RegisteredClient.withId(app.appId())
                .clientId(app.appId())
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .scopes(scopes -> scopes.addAll(app.scopes()))
                .clientSettings(settings.build())
                .tokenSettings(TokenSettings.builder().accessTokenTimeToLive(properties.appTokenTtl()).build())
                .build();
    }
}
