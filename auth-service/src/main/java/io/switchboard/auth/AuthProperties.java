package io.switchboard.auth;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * auth-service settings.
 *
 * @param admin               the platform administrator, who manages apps over HTTP Basic
 * @param appTokenTtl         lifetime of app access tokens from the token endpoint
 * @param userTokenDefaultTtl lifetime of a user token when the minting request names none
 * @param userTokenMaxTtl     longest lifetime an app may ask for a user token
 */
@ConfigurationProperties("switchboard.auth")
public record AuthProperties(Admin admin,
                             @DefaultValue("15m") Duration appTokenTtl,
                             @DefaultValue("1h") Duration userTokenDefaultTtl,
                             @DefaultValue("24h") Duration userTokenMaxTtl) {

    /**
     * @param username admin user name
     * @param password admin password; required, there is no default
     */
    public record Admin(@DefaultValue("admin") String username, String password) {
    }
}
