package io.switchboard.auth.security;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import io.switchboard.auth.AuthProperties;
import io.switchboard.auth.audit.AuditLog;
import io.switchboard.auth.guessing.GuessingLimiter;
import io.switchboard.auth.keys.SigningKeys;
import io.switchboard.auth.tokens.TokenEndpoint;
import io.switchboard.platform.apps.AppAccessValidator;
import io.switchboard.platform.ratelimit.AppRateLimiter;
import io.switchboard.platform.security.ProblemSecurityHandlers;
import io.switchboard.platform.security.ResourceServerConfiguration;
import io.switchboard.platform.security.TokenDecoders;
import io.switchboard.platform.security.TokenVerificationProperties;
import io.switchboard.platform.security.UserAccessValidator;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.authorization.authentication.ClientSecretAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.web.authentication.preauth.AbstractPreAuthenticatedProcessingFilter;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;

/**
 * Three doors into auth-service:
 * <ol>
 *   <li>the OAuth 2.0 endpoints of Spring Authorization Server (token, JWKS, discovery metadata):
 *       apps authenticate with App ID + App Certificate, brute force is rate-limited, errors are
 *       problem documents that are also RFC 6749 error responses;</li>
 *   <li>platform administration ({@code /v1/apps}, {@code /v1/audit}, {@code /v1/signing-keys})
 *       with the admin credential (HTTP Basic; guessing limited and audited); the Kubernetes ingress
 *       does not route these paths, so administration stays off the public hosts;</li>
 *   <li>every other API, with a bearer token verified against auth-service's own keys and the
 *       app's state, like in every other service.</li>
 * </ol>
 */
@Configuration(proxyBeanMethods = false)
@EnableMethodSecurity
@EnableConfigurationProperties(TokenVerificationProperties.class)
class SecurityConfiguration {

    static final String[] ADMIN_PATHS = {"/v1/apps", "/v1/apps/**", "/v1/audit", "/v1/audit/**",
            "/v1/signing-keys", "/v1/signing-keys/**"};

    @Bean
    @Order(1)
    SecurityFilterChain authorizationServer(HttpSecurity http, TokenEndpoint tokenEndpoint) throws Exception {
        OAuth2AuthorizationServerConfigurer authorizationServer = new OAuth2AuthorizationServerConfigurer();
        return http
                .securityMatcher(authorizationServer.getEndpointsMatcher())
                .with(authorizationServer, server -> server
                        .clientAuthentication(clients -> clients
                                .authenticationProviders(providers -> {
                                    providers.removeIf(ClientSecretAuthenticationProvider.class::isInstance);
                                    providers.addFirst(tokenEndpoint.clientAuthentication());
                                })
                                .errorResponseHandler(tokenEndpoint.errorResponses()))
                        .tokenEndpoint(token -> token.errorResponseHandler(tokenEndpoint.errorResponses())))
                .addFilterBefore(tokenEndpoint.requestLimiter(), AbstractPreAuthenticatedProcessingFilter.class)
                .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                .csrf(csrf -> csrf.ignoringRequestMatchers(authorizationServer.getEndpointsMatcher()))
                .build();
    }

    /**
     * The admin's HTTP Basic login, guarded against guessing ({@link GuessingLimiter}): every failed
     * login is audited with where it came from, and a source that fails too often is refused.
     */
    @Bean
    @Order(2)
    SecurityFilterChain platformAdministration(HttpSecurity http, AuthProperties properties, AuditLog audit)
            throws Exception {
        GuessingLimiter adminLogins = new GuessingLimiter("admin logins", properties.adminLoginFailuresPerMinute(), false,
                request -> true, GuessingLimiter::basicUser, failure -> audit.refused("address " + failure.address(),
                        "admin.login-refused", null, "user=" + failure.claimed()));
        return http
                .securityMatcher(ADMIN_PATHS)
                .addFilterBefore(adminLogins, BasicAuthenticationFilter.class)
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(requests -> requests.anyRequest().hasRole("PLATFORM_ADMIN"))
                .httpBasic(basic -> basic.authenticationEntryPoint(ProblemSecurityHandlers.entryPoint()))
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint(ProblemSecurityHandlers.entryPoint())
                        .accessDeniedHandler(ProblemSecurityHandlers.accessDeniedHandler()))
                .build();
    }

    @Bean
    @Order(3)
    SecurityFilterChain api(HttpSecurity http, TokenVerificationProperties verification, AppRateLimiter rateLimiter)
            throws Exception {
        return ResourceServerConfiguration.bearerTokenChain(http, verification, rateLimiter);
    }

    /** The platform admin; refuses to start without a password, since no default is safe. */
    @Bean
    UserDetailsService platformAdmin(AuthProperties properties, PasswordEncoder passwordEncoder) {
        AuthProperties.Admin admin = properties.admin();
        if (admin == null || admin.password() == null || admin.password().isBlank()) {
            throw new IllegalStateException("switchboard.auth.admin.password is not set "
                    + "(environment: SWITCHBOARD_AUTH_ADMIN_PASSWORD); auth-service has no default admin password");
        }
        return new InMemoryUserDetailsManager(User.withUsername(admin.username())
                .password(passwordEncoder.encode(admin.password()))
                .roles("PLATFORM_ADMIN")
                .build());
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    AuthorizationServerSettings authorizationServerSettings(TokenVerificationProperties verification) {
        return AuthorizationServerSettings.builder().issuer(verification.issuer()).build();
    }

    /** JWKS: every published key. */
    @Bean
    JWKSource<SecurityContext> jwkSource(SigningKeys keys) {
        return keys.publishedKeys();
    }

    /** Signs with the current signing key only. */
    @Bean
    JwtEncoder jwtEncoder(SigningKeys keys) {
        return new NimbusJwtEncoder(keys.signingKey());
    }

    @Bean
    JwtDecoder jwtDecoder(SigningKeys keys, TokenVerificationProperties verification, AppAccessValidator appAccess,
                          UserAccessValidator userAccess) {
        return TokenDecoders.verifying(TokenDecoders.signatureOnly(keys.publishedKeys()), verification.issuer(),
                verification.audience(), appAccess, userAccess);
    }
}
