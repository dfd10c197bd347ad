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
import java.util.UUID;

/**
 * Stands in for auth-service in a single service's tests: a real HTTP JWKS endpoint on loopback
 * and ES256 tokens signed with its key, shaped exactly like auth-service's. (The end-to-end test
 * uses the real auth-service.)
 */
public final class TestTokenIssuer {

    public static final String ISSUER = "http://auth.switchboard.test";

    private static TestTokenIssuer shared;

    private final ECKey key;
    private final HttpServer server;

    private TestTokenIssuer() {
        try {
            key = new ECKeyGenerator(Curve.P_256).keyID(UUID.randomUUID().toString()).generate();
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
            server.createContext("/oauth2/jwks", exchange -> {
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

    public String appToken(String appId, String... scopes) {
        return sign(appId, appId, TokenClaims.USE_APP, Duration.ofMinutes(15), scopes);
    }

    public String userToken(String appId, String userId, String... scopes) {
        return sign(appId, userId, TokenClaims.USE_USER, Duration.ofHours(1), scopes);
    }

    public String expiredUserToken(String appId, String userId, String... scopes) {
        return sign(appId, userId, TokenClaims.USE_USER, Duration.ofMinutes(-5), scopes);
    }

    private String sign(String appId, String subject, String use, Duration lifetime, String... scopes) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject(subject)
                .issueTime(Date.from(now.minus(Duration.ofMinutes(10))))
                .expirationTime(Date.from(now.plus(lifetime)))
                .jwtID(UUID.randomUUID().toString())
                .claim(TokenClaims.APP_ID, appId)
                .claim(TokenClaims.TOKEN_USE, use)
                .claim("scope", String.join(" ", scopes))
                .build();
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID())
                    .type(JOSEObjectType.JWT).build(), claims);
            jwt.sign(new ECDSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
