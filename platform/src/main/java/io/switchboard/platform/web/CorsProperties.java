package io.switchboard.platform.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Which browser pages of other origins may call a service's token-protected API (the end-user page
 * served by push-service calls message-service, on another port or host). Empty by default: no
 * cross-origin call is allowed. Credentials (cookies) are never allowed: callers send bearer tokens.
 *
 * @param allowedOrigins origins exactly as browsers send them ({@code scheme://host[:port]}, no path,
 *                       no wildcard), e.g. {@code https://push.switchboard.example.com}
 * @param maxAge         how long a browser may cache a preflight answer
 */
@ConfigurationProperties("switchboard.http.cors")
public record CorsProperties(List<String> allowedOrigins, @DefaultValue("1h") Duration maxAge) {

    /** What a page may send: the bearer token, JSON, the send idempotency key and conditional requests. */
    static final List<String> ALLOWED_HEADERS = List.of("Authorization", "Content-Type", "Idempotency-Key",
            "If-Match", "If-None-Match");
    /** Response headers the API documents, made readable to the page. */
    static final List<String> EXPOSED_HEADERS = List.of("ETag", "Location", "Retry-After", "Idempotent-Replayed");

    public CorsProperties {
        allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
        allowedOrigins.forEach(CorsProperties::requireOrigin);
    }

    /** Whether any origin is allowed; without one, the services add no CORS handling at all. */
    public boolean enabled() {
        return !allowedOrigins.isEmpty();
    }

    /** The same rules for every path of the API. */
    public CorsConfigurationSource configurationSource() {
        CorsConfiguration configuration = new CorsConfiguration();
        configuration.setAllowedOrigins(allowedOrigins);
        configuration.setAllowedMethods(List.of("GET", "POST", "PUT", "PATCH", "DELETE"));
        configuration.setAllowedHeaders(ALLOWED_HEADERS);
        configuration.setExposedHeaders(EXPOSED_HEADERS);
        configuration.setAllowCredentials(false);
        configuration.setMaxAge(maxAge);
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/**", configuration);
        return source;
    }

    /** A browser's Origin header never has a path, a query or a wildcard: anything else would never match. */
    private static void requireOrigin(String origin) {
        URI uri;
        try {
            uri = URI.create(origin);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("switchboard.http.cors.allowed-origins: '" + origin + "' is not an origin");
        }
        boolean httpScheme = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
        boolean bare = (uri.getRawPath() == null || uri.getRawPath().isEmpty()) && uri.getRawQuery() == null
                && uri.getRawFragment() == null && uri.getRawUserInfo() == null;
        if (!httpScheme || uri.getHost() == null || !bare) {
            throw new IllegalArgumentException("switchboard.http.cors.allowed-origins: '" + origin
                    + "' is not an origin (scheme://host[:port], no path, no wildcard)");
        }
    }
}
