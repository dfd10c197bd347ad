package io.switchboard.auth;

import io.switchboard.platform.crypto.KeyEncryptionKeyset;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * auth-service settings.
 *
 * @param admin                  the platform administrator, who manages apps over HTTP Basic
 * @param keyEncryption          the key-encryption keyset that protects certificates and signing keys
 *                               ({@code switchboard.auth.key-encryption.keyset} or {@code .keyset-file})
 * @param appTokenTtl            lifetime of app access tokens from the token endpoint
 * @param userTokenDefaultTtl    lifetime of a user token when the minting request names none
 * @param userTokenMaxTtl        longest user token lifetime, unless an app's own policy is shorter
 * @param signingKeyOverlap      how long a new signing key is published before it signs, so every
 *                               verifier has fetched it by then
 * @param tokenRequestsPerMinute failed token requests per minute allowed per client address and App ID
 *                               (brute-force protection); a client address may fail five times as
 *                               often over all App IDs, and make ten times as many requests
 * @param usageFlushInterval     how often token counts are written to the audit log
 * @param adminLoginFailuresPerMinute failed admin logins per minute allowed per client address (five
 *                               times as many over all user names); each is audited
 */
@ConfigurationProperties("switchboard.auth")
public record AuthProperties(Admin admin,
                             KeyEncryptionKeyset keyEncryption,
                             @DefaultValue("15m") Duration appTokenTtl,
                             @DefaultValue("1h") Duration userTokenDefaultTtl,
                             @DefaultValue("24h") Duration userTokenMaxTtl,
                             @DefaultValue("10m") Duration signingKeyOverlap,
                             @DefaultValue("60") int tokenRequestsPerMinute,
                             @DefaultValue("60s") Duration usageFlushInterval,
                             @DefaultValue("10") int adminLoginFailuresPerMinute) {

    /**
     * @param username admin user name
     * @param password admin password; required, there is no default
     */
    public record Admin(@DefaultValue("admin") String username, String password) {
    }
}
