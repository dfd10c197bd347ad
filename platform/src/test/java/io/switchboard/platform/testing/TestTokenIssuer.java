package io.switchboard.platform.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.switchboard.platform.security.TokenClaims;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * Stands in for auth-service in a single service's tests: a real HTTP JWKS endpoint on loopback
 * and ES256 tokens signed with its key, shaped exactly like auth-service's. (The end-to-end test
 * uses the real auth-service.)
 */
public final class TestTokenIssuer {

    public static final String ISSUER = "http://auth.switchboard.test";
    /** The certificate id test tokens carry; {@link TestApps} lists it as active. */
    public static final String CERTIFICATE_ID = "cert-test";

    private static TestTokenIssuer shared;

    private final ECKey key;
    private final ECKey impostor;
    private final HttpServer server;
    private volatile boolean jwksAnswers = true;

    /**
     * Test tokens are meant for every service (what a token is meant for follows from its scopes in
     * auth-service; here a scope a test leaves out must be what a service refuses, not the audience).
     */
    private static final List<String> EVERY_SERVICE = List.of("auth-service", "membership-service", "message-service",
            "push-service");

    private TestTokenIssuer() {
        try {
            key = new ECKeyGenerator(Curve.P_256).keyID(UUID.randomUUID().toString()).generate();
            impostor = new ECKeyGenerator(Curve.P_256).keyID(key.getKeyID()).generate();
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
            server.createContext("/oauth2/jwks", exchange -> {
                if (!jwksAnswers) {
                    exchange.sendResponseHeaders(503, -1);
                    exchange.close();
                    return;
                }
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, jwks.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(jwks);
                }
            });
            server.start();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static synchronized TestTokenIssuer shared() {
        if (shared == null) {
            shared = new TestTokenIssuer();
        }
        return shared;
    }

    public String jwkSetUri() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/oauth2/jwks";
    }

    /** Makes the key set endpoint answer 503, as an auth-service that is down or overloaded would, or answer again. */
    public void jwksAnswers(boolean answers) {
        jwksAnswers = answers;
    }

    /**
     * An app token signed by a new key the key set does not have yet, as right after auth-service
     * rotated its signing key: a service that meets it reads the key set again.
     */
    public String appTokenOfANewKey(String appId, String... scopes) {
        return sign(newKey(), claims(appId, appId, TokenClaims.USE_APP, Duration.ofMinutes(15), scopes).build());
    }

    /** A user token signed by a new key the key set does not have yet ({@link #appTokenOfANewKey}). */
    public String userTokenOfANewKey(String appId, String userId, String... scopes) {
        return sign(newKey(), claims(appId, userId, TokenClaims.USE_USER, Duration.ofHours(1), scopes).build());
    }

    private static ECKey newKey() {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(UUID.randomUUID().toString()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public String appToken(String appId, String... scopes) {
        return sign(appId, appId, TokenClaims.USE_APP, Duration.ofMinutes(15), scopes);
    }

    /** An app token obtained with a given certificate. */
    public String appTokenWithCertificate(String appId, String certificateId, String... scopes) {
        return sign(key, claims(appId, appId, TokenClaims.USE_APP, Duration.ofMinutes(15), scopes)
                .claim(TokenClaims.CERTIFICATE_ID, certificateId).build());
    }

    /** Signed by a different key that claims the real key's id. */
    public String forgedAppToken(String appId, String... scopes) {
        return sign(impostor, claims(appId, appId, TokenClaims.USE_APP, Duration.ofMinutes(15), scopes).build());
    }

    /** An unsecured JWT ({@code alg: none}) with valid-looking claims. */
    public String unsignedAppToken(String appId, String... scopes) {
        return new com.nimbusds.jwt.PlainJWT(claims(appId, appId, TokenClaims.USE_APP, Duration.ofMinutes(15), scopes)
                .build()).serialize();
    }

    public String expiredAppToken(String appId, String... scopes) {
        return sign(appId, appId, TokenClaims.USE_APP, Duration.ofMinutes(-5), scopes);
    }

    public String userToken(String appId, String userId, String... scopes) {
        return sign(appId, userId, TokenClaims.USE_USER, Duration.ofHours(1), scopes);
    }

    /** A user token that expires {@code lifetime} from now. */
    public String userTokenValidFor(Duration lifetime, String appId, String userId, String... scopes) {
        return sign(appId, userId, TokenClaims.USE_USER, lifetime, scopes);
    }

    /** A user token of one of the user's devices ({@code device_id} claim). */
    public String userTokenForDevice(String appId, String userId, String deviceId, String... scopes) {
        return sign(key, claims(appId, userId, TokenClaims.USE_USER, Duration.ofHours(1), scopes)
                .claim(TokenClaims.DEVICE_ID, deviceId).build());
    }

    /** A user token issued at {@code issuedAt} (others are issued ten minutes ago). */
    public String userTokenIssuedAt(Instant issuedAt, String appId, String userId, String... scopes) {
        return sign(key, claims(appId, userId, TokenClaims.USE_USER, Duration.ofHours(1), scopes)
                .issueTime(Date.from(issuedAt)).build());
    }

    /** The id ({@code jti}) of a token, by which it can be revoked. */
    public static String tokenId(String token) {
        try {
            return SignedJWT.parse(token).getJWTClaimsSet().getJWTID();
        } catch (java.text.ParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A user token meant for the given services only ({@code aud}). */
    public String userTokenFor(List<String> audiences, String appId, String userId, String... scopes) {
        return sign(key, claims(appId, userId, TokenClaims.USE_USER, Duration.ofHours(1), scopes).audience(audiences).build());
    }

    /** A user token of another kind than an access token ({@code typ: JWT}), otherwise valid. */
    public String userTokenOfType(String type, String appId, String userId, String... scopes) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID())
                    .type(new JOSEObjectType(type)).build(),
                    claims(appId, userId, TokenClaims.USE_USER, Duration.ofHours(1), scopes).build());
            jwt.sign(new ECDSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public String expiredUserToken(String appId, String userId, String... scopes) {
        return sign(appId, userId, TokenClaims.USE_USER, Duration.ofMinutes(-5), scopes);
    }

    private String sign(String appId, String subject, String use, Duration lifetime, String... scopes) {
        return sign(key, claims(appId, subject, use, lifetime, scopes).build());
    }

    private static JWTClaimsSet.Builder claims(String appId, String subject, String use, Duration lifetime,
                                               String... scopes) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject(subject)
                .issueTime(Date.from(now.minus(Duration.ofMinutes(10))))
                .expirationTime(Date.from(now.plus(lifetime)))
                .jwtID(UUID.randomUUID().toString())
                .claim(TokenClaims.APP_ID, appId)
                .claim(TokenClaims.TOKEN_USE, use)
                .claim(TokenClaims.CERTIFICATE_ID, CERTIFICATE_ID)
                .audience(EVERY_SERVICE)
                .claim("scope", String.join(" ", scopes));
    }

    private static String sign(ECKey signingKey, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(signingKey.getKeyID())
                    .type(new JOSEObjectType(TokenClaims.ACCESS_TOKEN_TYPE)).build(), claims);
            jwt.sign(new ECDSASigner(signingKey));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
