package io.switchboard.bench;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import io.switchboard.platform.security.TokenClaims;
import io.switchboard.platform.security.TokenDecoders;
import org.conscrypt.Conscrypt;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTypeValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Token minting and local verification, on the code paths the services run:
 * <ul>
 *   <li>{@code mintUserToken}: claims + ES256 signature, as auth-service's UserTokens;</li>
 *   <li>{@code verifyNewToken}: a token this verifier has not seen (parse, ES256 signature,
 *       expiry, issuer, app state), as a service's decoder on a cache miss;</li>
 *   <li>{@code verifyKnownToken}: a token seen before (the common case: clients reuse a token for
 *       every request until it expires), as a service's decoder on a cache hit;</li>
 *   <li>{@code rawSignatureJdk} / {@code rawSignatureConscrypt}: parse + ECDSA verification alone,
 *       with the JDK's provider and with BoringSSL through Conscrypt.</li>
 * </ul>
 */
@State(Scope.Benchmark)
public class TokenBenchmarks {

    private static final int DISTINCT_TOKENS = 200_000;

    private TokenFixtures fixtures;
    private String[] tokens;
    private String knownToken;
    private JwtDecoder signatureOnly;
    private OAuth2TokenValidator<Jwt> claimChecks;
    private JwtDecoder servicesDecoder;
    private ECDSAVerifier jdkVerifier;
    private ECDSAVerifier conscryptVerifier;
    private final AtomicInteger next = new AtomicInteger();

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        fixtures = new TokenFixtures();
        tokens = new String[DISTINCT_TOKENS];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = fixtures.mintUserToken("user-" + i);
        }
        knownToken = fixtures.mintUserToken("alice");
        signatureOnly = TokenDecoders.signatureOnly(fixtures.jwks);
        claimChecks = JwtValidators.createDefaultWithValidators(new JwtTypeValidator(TokenClaims.ACCESS_TOKEN_TYPE),
                new JwtIssuerValidator(TokenFixtures.ISSUER), new JwtAudienceValidator(TokenFixtures.AUDIENCE),
                TokenFixtures.appStateCheck(), TokenFixtures.userStateCheck());
        servicesDecoder = TokenDecoders.verifying(signatureOnly, TokenFixtures.ISSUER, TokenFixtures.AUDIENCE,
                TokenFixtures.appStateCheck(), TokenFixtures.userStateCheck());
        servicesDecoder.decode(knownToken);
        jdkVerifier = new ECDSAVerifier(fixtures.key.toECPublicKey());
        conscryptVerifier = new ECDSAVerifier(fixtures.key.toECPublicKey());
        conscryptVerifier.getJCAContext().setProvider(Conscrypt.newProvider());
    }

    private String nextToken() {
        return tokens[Math.floorMod(next.getAndIncrement(), DISTINCT_TOKENS)];
    }

    @Benchmark
    public String mintUserToken() {
        return fixtures.mintUserToken("user");
    }

    @Benchmark
    public boolean verifyNewToken() {
        Jwt jwt = signatureOnly.decode(nextToken());
        return claimChecks.validate(jwt).hasErrors();
    }

    @Benchmark
    public Jwt verifyKnownToken() {
        return servicesDecoder.decode(knownToken);
    }

    @Benchmark
    public boolean rawSignatureJdk() throws Exception {
        return SignedJWT.parse(nextToken()).verify(jdkVerifier);
    }

    @Benchmark
    public boolean rawSignatureConscrypt() throws Exception {
        return SignedJWT.parse(nextToken()).verify(conscryptVerifier);
    }
}
