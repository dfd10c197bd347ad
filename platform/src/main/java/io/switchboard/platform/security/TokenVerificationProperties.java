package io.switchboard.platform.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.net.URI;
import java.util.List;

/**
 * How a service verifies Switchboard tokens locally, without calling auth-service per request.
 *
 * @param jwkSetUri   auth-service's JWKS endpoint; keys are fetched on first use and cached
 * @param issuer      the {@code iss} every accepted token must carry
 * @param publicPaths request paths served without a token (health probes, metrics, API docs)
 * @param audience    the {@code aud} a token must name to be accepted here: the service's name
 *                    ({@link Scopes#audiences} says which services a token is for)
 */
@ConfigurationProperties("switchboard.security")
public record TokenVerificationProperties(URI jwkSetUri, String issuer, List<String> publicPaths, String audience) {

    public TokenVerificationProperties {
        publicPaths = publicPaths == null ? List.of() : List.copyOf(publicPaths);
    }
}
