package io.switchboard.platform.security;

import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import org.conscrypt.Conscrypt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTypeValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import java.security.Provider;
import java.time.Duration;

/**
 * How every Switchboard service verifies tokens: ES256 only (so {@code alg: none} and HMAC
 * tokens are refused), signatures checked with BoringSSL through Conscrypt when its native library
 * loads (about six times the JDK's ECDSA verification rate on our machines) and the JDK's provider
 * otherwise, verified tokens remembered, claims validated on every call.
 */
public final class TokenDecoders {

    private static final Logger log = LoggerFactory.getLogger(TokenDecoders.class);
    private static final long CACHED_TOKENS = 100_000;
    private static final Duration CACHE_AGE = Duration.ofMinutes(5);
    private static final Provider SIGNATURE_PROVIDER = nativeProvider();

    private TokenDecoders() {
    }

    /** Signature verification against keys fetched from a JWKS endpoint (cached, refetched for unknown key ids). */
    public static JwtDecoder signatureOnly(String jwkSetUri) {
        return withoutClaimChecks(NimbusJwtDecoder.withJwkSetUri(jwkSetUri)
                .jwsAlgorithm(SignatureAlgorithm.ES256)
                .jwtProcessorCustomizer(processor -> processor.setJWSVerifierFactory(verifierFactory()))
                .build());
    }

    /** Signature verification against keys held locally (auth-service's own). */
    public static JwtDecoder signatureOnly(JWKSource<SecurityContext> keys) {
        return withoutClaimChecks(NimbusJwtDecoder.withJwkSource(keys)
                .jwsAlgorithm(SignatureAlgorithm.ES256)
                .jwtProcessorCustomizer(processor -> processor.setJWSVerifierFactory(verifierFactory()))
                .build());
    }

    /**
     * The decoder services use: signature (cached), then on every call the token's type (an access
     * token, {@code typ: at+jwt}: no other JWT signed with the same keys passes for one), expiry,
     * not-before, issuer, audience (this service must be one the token is meant for), the app's
     * state and the user's state and revocations.
     */
    public static JwtDecoder verifying(JwtDecoder signatureOnly, String issuer, String audience,
                                       OAuth2TokenValidator<Jwt> appAccess, OAuth2TokenValidator<Jwt> userAccess) {
        OAuth2TokenValidator<Jwt> validator = JwtValidators.createDefaultWithValidators(
                new JwtTypeValidator(TokenClaims.ACCESS_TOKEN_TYPE), new JwtIssuerValidator(issuer),
                new JwtAudienceValidator(audience), appAccess, userAccess);
        return new CachingJwtDecoder(signatureOnly, validator, CACHED_TOKENS, CACHE_AGE);
    }

    /** The JCA provider that verifies signatures, for the benchmark's report. */
    public static String signatureProviderName() {
        return SIGNATURE_PROVIDER == null ? "JDK default" : SIGNATURE_PROVIDER.getName();
    }

    private static JwtDecoder withoutClaimChecks(NimbusJwtDecoder decoder) {
        decoder.setJwtValidator(jwt -> OAuth2TokenValidatorResult.success());
        return decoder;
    }

    private static DefaultJWSVerifierFactory verifierFactory() {
        DefaultJWSVerifierFactory factory = new DefaultJWSVerifierFactory();
        if (SIGNATURE_PROVIDER != null) {
            factory.getJCAContext().setProvider(SIGNATURE_PROVIDER);
        }
        return factory;
    }

    private static Provider nativeProvider() {
        try {
            if (Conscrypt.isAvailable()) {
                return Conscrypt.newProvider();
            }
        } catch (RuntimeException | LinkageError e) {
            log.info("Conscrypt is not usable here ({}); verifying token signatures with the JDK", e.toString());
        }
        return null;
    }
}
