package io.switchboard.platform.testing;

import org.assertj.core.api.SoftAssertions;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The token and tenant-isolation matrix every service's API must pass: for each endpoint, no
 * token, an expired token, a forged signature, {@code alg: none}, a revoked certificate and a token
 * without the needed scope are refused with the right status and a problem+json body; a token of
 * another app cannot reach the app's resources; and a valid token does get through (so the
 * refusals are not an accident of a wrong path). {@link #assertCovers} fails when a service has an
 * endpoint the matrix does not list.
 */
public final class TokenMatrix {

    /**
     * One endpoint to probe.
     *
     * @param method          HTTP method
     * @param pattern         the mapping pattern, as Spring registers it
     * @param path            a concrete path to a resource of the probing app
     * @param body            request body, or null
     * @param scope           the scope the endpoint requires
     * @param foreignStatus   status a token of another app gets (404: the resource does not exist for
     *                        it), or 0 where the app comes from the token and there is nothing to cross
     */
    /**
     * One endpoint and a request that succeeds with the right token.
     *
     * @param foreignStatus what a token of another app gets (0: nothing app-specific to refuse)
     * @param user          for endpoints only users may call: the user whose token succeeds; null
     *                      when an app token succeeds
     */
    public record Endpoint(String method, String pattern, String path, Object body, String scope, int foreignStatus,
                           String user) {
        public Endpoint(String method, String pattern, String path, Object body, String scope, int foreignStatus) {
            this(method, pattern, path, body, scope, foreignStatus, null);
        }

        String key() {
            return method + " " + pattern;
        }
    }

    private TokenMatrix() {
    }

    /** Fails if any {@code /v1} endpoint of {@code mapping} is not in {@code endpoints} nor {@code excluded}. */
    public static void assertCovers(RequestMappingHandlerMapping mapping, List<Endpoint> endpoints, Set<String> excluded) {
        Set<String> listed = new TreeSet<>();
        endpoints.forEach(e -> listed.add(e.key()));
        Set<String> missing = new TreeSet<>();
        for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : mapping.getHandlerMethods().entrySet()) {
            for (String pattern : entry.getKey().getPatternValues()) {
                if (!pattern.startsWith("/v1")) {
                    continue;
                }
                for (var method : entry.getKey().getMethodsCondition().getMethods()) {
                    String key = method.name() + " " + pattern;
                    if (!listed.contains(key) && !excluded.contains(key)) {
                        missing.add(key);
                    }
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new AssertionError("Endpoints missing from the token matrix: " + missing);
        }
    }

    /** The tokens the matrix needs, from whichever key the service under test trusts. */
    public interface Tokens {
        String valid(String appId, String scope);

        String expired(String appId, String scope);

        /** Signed by another key that claims the trusted key's id. */
        String forged(String appId, String scope);

        /** {@code alg: none}. */
        String unsigned(String appId, String scope);

        String withCertificate(String appId, String certificateId, String scope);

        /** A valid user token, for endpoints only users may call. */
        default String validUser(String appId, String userId, String scope) {
            throw new UnsupportedOperationException("This matrix has no user tokens");
        }
    }

    /** The matrix with {@link TestTokenIssuer}'s tokens (services that trust its JWKS). */
    public static void assertRefusals(TestHttp http, String appId, String otherAppId, List<Endpoint> endpoints) {
        TestTokenIssuer issuer = TestTokenIssuer.shared();
        assertRefusals(http, new Tokens() {
            public String valid(String app, String scope) {
                return issuer.appToken(app, scope);
            }

            public String expired(String app, String scope) {
                return issuer.expiredAppToken(app, scope);
            }

            public String forged(String app, String scope) {
                return issuer.forgedAppToken(app, scope);
            }

            public String unsigned(String app, String scope) {
                return issuer.unsignedAppToken(app, scope);
            }

            public String withCertificate(String app, String certificateId, String scope) {
                return issuer.appTokenWithCertificate(app, certificateId, scope);
            }

            public String validUser(String app, String userId, String scope) {
                return issuer.userToken(app, userId, scope);
            }
        }, appId, otherAppId, endpoints);
    }

    /** Runs every case against every endpoint and reports all failures together. */
    public static void assertRefusals(TestHttp http, Tokens tokens, String appId, String otherAppId,
                                      List<Endpoint> endpoints) {
        SoftAssertions softly = new SoftAssertions();
        for (Endpoint endpoint : endpoints) {
            List<Case> cases = new ArrayList<>(List.of(
                    new Case("no token", null, 401, "unauthenticated"),
                    new Case("expired token", tokens.expired(appId, endpoint.scope()), 401, "unauthenticated"),
                    new Case("forged signature", tokens.forged(appId, endpoint.scope()), 401, "unauthenticated"),
                    new Case("alg none", tokens.unsigned(appId, endpoint.scope()), 401, "unauthenticated"),
                    new Case("revoked certificate",
                            tokens.withCertificate(appId, "cert-revoked", endpoint.scope()), 401, "unauthenticated"),
                    new Case("token without the scope", tokens.valid(appId, "unrelated:scope"), 403, "forbidden")));
            if (endpoint.foreignStatus() != 0) {
                cases.add(new Case("token of another app", tokens.valid(otherAppId, endpoint.scope()),
                        endpoint.foreignStatus(), null));
            }
            for (Case c : cases) {
                TestHttp.Response response = http.send(endpoint.method(), endpoint.path(),
                        c.token() == null ? null : TestHttp.bearer(c.token()), endpoint.body(), idempotencyKey());
                String what = endpoint.key() + " with " + c.name() + ": " + response.body();
                softly.assertThat(response.status()).as(what).isEqualTo(c.status());
                softly.assertThat(response.contentType()).as(what).startsWith("application/problem+json");
                if (c.code() != null && response.contentType().startsWith("application/problem+json")) {
                    softly.assertThat(response.text("code")).as(what).isEqualTo(c.code());
                }
            }
            String validToken = endpoint.user() == null ? tokens.valid(appId, endpoint.scope())
                    : tokens.validUser(appId, endpoint.user(), endpoint.scope());
            TestHttp.Response valid = http.send(endpoint.method(), endpoint.path(),
                    TestHttp.bearer(validToken), endpoint.body(), idempotencyKey());
            softly.assertThat(valid.status()).as(endpoint.key() + " with a valid token: " + valid.body())
                    .isNotIn(401, 403, 404, 405);
        }
        softly.assertAll();
    }

    /**
     * For endpoints behind the platform admin's HTTP Basic login: no credentials, a wrong password
     * and a bearer token are all refused with 401 problem+json.
     */
    public static void assertAdminOnly(TestHttp http, String bearerToken, List<Endpoint> endpoints) {
        SoftAssertions softly = new SoftAssertions();
        for (Endpoint endpoint : endpoints) {
            for (var attempt : Map.of("no credentials", "", "wrong password", TestHttp.basic("admin", "wrong"),
                    "a bearer token", TestHttp.bearer(bearerToken)).entrySet()) {
                TestHttp.Response response = http.send(endpoint.method(), endpoint.path(),
                        attempt.getValue().isEmpty() ? null : attempt.getValue(), endpoint.body());
                String what = endpoint.key() + " with " + attempt.getKey() + ": " + response.body();
                softly.assertThat(response.status()).as(what).isEqualTo(401);
                softly.assertThat(response.contentType()).as(what).startsWith("application/problem+json");
            }
        }
        softly.assertAll();
    }

    /** Every request carries a fresh key, so write endpoints that require one reach their authorization checks. */
    private static Map<String, String> idempotencyKey() {
        return Map.of("Idempotency-Key", "matrix-" + UUID.randomUUID());
    }

    private record Case(String name, String token, int status, String code) {
    }
}
