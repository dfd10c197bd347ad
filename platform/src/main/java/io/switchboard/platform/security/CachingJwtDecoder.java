package io.switchboard.platform.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;

import java.time.Duration;

/**
 * Verifies a token's signature once and remembers the result: clients send the same token with
 * every request until it expires, and an ECDSA verification costs far more than the rest of a
 * request's checks. The validators (expiry, issuer, app state) run on every call, cached or not,
 * so a token stops working the moment it expires or its app is suspended.
 */
public final class CachingJwtDecoder implements JwtDecoder {

    private static final Logger log = LoggerFactory.getLogger(CachingJwtDecoder.class);

    private final JwtDecoder signatureVerifier;
    private final OAuth2TokenValidator<Jwt> validator;
    private final Cache<String, Jwt> verified;

    /**
     * @param signatureVerifier decodes and verifies the signature only (no claim validation)
     * @param validator         every claim check, run on each call
     * @param maximumEntries    tokens remembered at most
     * @param maximumAge        longest a verified token is remembered
     */
    public CachingJwtDecoder(JwtDecoder signatureVerifier, OAuth2TokenValidator<Jwt> validator, long maximumEntries,
                             Duration maximumAge) {
        this.signatureVerifier = signatureVerifier;
        this.validator = validator;
        this.verified = Caffeine.newBuilder().maximumSize(maximumEntries).expireAfterWrite(maximumAge).build();
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        Jwt jwt = verified.getIfPresent(token);
        if (jwt == null) {
            try {
                jwt = signatureVerifier.decode(token);
            } catch (JwtException e) {
                log.debug("Token refused: {}", e.getMessage());
                throw e;
            }
            verified.put(token, jwt);
        }
        OAuth2TokenValidatorResult result = validator.validate(jwt);
        if (result.hasErrors()) {
            String description = result.getErrors().iterator().next().getDescription();
            log.debug("Token of app {} refused: {}", jwt.getClaimAsString(TokenClaims.APP_ID), description);
            throw new JwtValidationException(description == null ? "Invalid token" : description, result.getErrors());
        }
        return jwt;
    }
}
