package io.switchboard.bench;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import io.switchboard.platform.directory.UsersView;
import io.switchboard.platform.security.RevocationsView;
import io.switchboard.platform.security.Scopes;
import io.switchboard.platform.security.TokenClaims;
import io.switchboard.platform.security.UserAccessValidator;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Keys and tokens shaped exactly like auth-service's: an ES256 key, the encoder auth-service
 * builds on it, user tokens with the same claims.
 */
final class TokenFixtures {

    static final String ISSUER = "http://auth.switchboard.bench";
    static final String APP_ID = "bench-app";
    static final String CERTIFICATE_ID = "cert-bench";

    final ECKey key;
    final JWKSource<SecurityContext> jwks;
    final JwtEncoder encoder;

    TokenFixtures() {
        try {
            key = new ECKeyGenerator(Curve.P_256).keyID(UUID.randomUUID().toString()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        jwks = new ImmutableJWKSet<>(new JWKSet(key.toPublicJWK()));
        encoder = new NimbusJwtEncoder(new ImmutableJWKSet<>(new JWKSet(key)));
    }

    /** The scopes of the user tokens minted here; the verifying service is one they are meant for. */
    static final List<String> SCOPES = List.of("conversations:read", "messages:read", "messages:write", "push:connect");
    /** The service the tokens are verified for (message-service: the API a client calls most). */
    static final String AUDIENCE = "message-service";

    /** What auth-service's UserTokens does for one user token. */
    String mintUserToken(String userId) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        JwtClaimsSet claims = JwtClaimsSet.builder()
                .issuer(ISSUER).subject(userId).id(UUID.randomUUID().toString())
                .issuedAt(now).notBefore(now).expiresAt(now.plus(Duration.ofHours(1)))
                .claim(TokenClaims.APP_ID, APP_ID)
                .claim(TokenClaims.TOKEN_USE, TokenClaims.USE_USER)
                .claim(TokenClaims.CERTIFICATE_ID, CERTIFICATE_ID)
                .claim("scope", String.join(" ", SCOPES))
                .audience(Scopes.audiences(SCOPES))
                .build();
        return encoder.encode(JwtEncoderParameters.from(JwsHeader.with(SignatureAlgorithm.ES256)
                .type(TokenClaims.ACCESS_TOKEN_TYPE).build(), claims)).getTokenValue();
    }

    /**
     * The app-state check of {@code AppAccessValidator} over an in-memory map (what the view is):
     * app known, active, certificate listed, issued after the cut-off.
     */
    static OAuth2TokenValidator<Jwt> appStateCheck() {
        Map<String, Set<String>> activeCertificates = Map.of(APP_ID, Set.of(CERTIFICATE_ID));
        return jwt -> {
            Set<String> certificates = activeCertificates.get(jwt.getClaimAsString(TokenClaims.APP_ID));
            return certificates != null && certificates.contains(jwt.getClaimAsString(TokenClaims.CERTIFICATE_ID))
                    && jwt.getIssuedAt() != null
                    ? OAuth2TokenValidatorResult.success()
                    : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token"));
        };
    }

    /** The user checks services run on every call, against views that know no user (the common case's cost). */
    static OAuth2TokenValidator<Jwt> userStateCheck() {
        return new UserAccessValidator(new UsersView(new KafkaProperties()), new RevocationsView(new KafkaProperties()));
    }
}
