package io.switchboard.bench;

import io.switchboard.client.SwitchboardClient;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.function.Supplier;

/**
 * An app token for a load that outlives one (app tokens last 15 minutes by default): minted again,
 * as an app's server does, once less than {@link #MARGIN} of it is left. Its expiry is read from
 * the token's own {@code exp} claim, so it follows whatever lifetime auth-service is configured with.
 */
final class AppTokenSource implements Supplier<String> {

    private static final Duration MARGIN = Duration.ofMinutes(2);
    private static final JsonMapper JSON = JsonMapper.shared();

    private final SwitchboardClient client;
    private final SwitchboardClient.App app;
    private final String[] scopes;
    private String token;
    private Instant expiresAt;

    AppTokenSource(SwitchboardClient client, SwitchboardClient.App app, String... scopes) {
        this.client = client;
        this.app = app;
        this.scopes = scopes.clone();
        mint();
    }

    @Override
    public synchronized String get() {
        if (Instant.now().isAfter(expiresAt.minus(MARGIN))) {
            mint();
        }
        return token;
    }

    private void mint() {
        token = client.appToken(app, scopes);
        String payload = token.split("\\.")[1];
        expiresAt = Instant.ofEpochSecond(JSON.readTree(Base64.getUrlDecoder().decode(payload)).get("exp").asLong());
    }
}
