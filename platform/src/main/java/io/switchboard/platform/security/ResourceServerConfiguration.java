package io.switchboard.platform.security;

import io.switchboard.platform.apps.AppAccessValidator;
import io.switchboard.platform.apps.AppStateConfiguration;
import io.switchboard.platform.ratelimit.AppRateLimitFilter;
import io.switchboard.platform.ratelimit.AppRateLimiter;
import io.switchboard.platform.web.ApiConfiguration;
import io.switchboard.platform.web.CorsProperties;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.filter.CorsFilter;
import io.switchboard.platform.web.errors.ProblemCorsProcessor;

/**
 * Token verification for every service but auth-service: bearer JWTs signed by auth-service,
 * verified locally against its JWKS (keys cached, refreshed when an unknown key id appears),
 * issuer, expiry, app state and user state checked ({@link UserAccessValidator}), a scope required by each endpoint, and the app's rate
 * limit applied. Health, metrics and API docs are public. Browser pages of the origins in
 * {@code switchboard.http.cors.allowed-origins} may call the API cross-origin ({@link CorsProperties}).
 *
 * <p>Every other actuator endpoint (for example {@code deadletters}, when an operator exposes it) is
 * for operators, not for token holders. On the application port it is refused whatever the token,
 * since any app can hold a valid token. On a separate management port ({@code management.server.port})
 * it is open without a token: that port is the boundary, so deployments bind it to a private address
 * ({@code management.server.address}) and keep it out of Services and ingresses.
 */
@Configuration(proxyBeanMethods = false)
@EnableMethodSecurity
@EnableConfigurationProperties(TokenVerificationProperties.class)
@Import({AppStateConfiguration.class, UserAccessConfiguration.class, ApiConfiguration.class})
public class ResourceServerConfiguration {

    @Bean
    JwtDecoder jwtDecoder(TokenVerificationProperties properties, AppAccessValidator appAccess,
                          UserAccessValidator userAccess) {
        return TokenDecoders.verifying(TokenDecoders.signatureOnly(properties.jwkSetUri().toString()),
                properties.issuer(), properties.audience(), appAccess, userAccess);
    }

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, TokenVerificationProperties properties,
                                    AppRateLimiter rateLimiter) throws Exception {
        return bearerTokenChain(http, properties, rateLimiter);
    }

    /**
     * Stateless API security: public paths open, everything else needs a verified bearer token;
     * refusals are problem documents. Also used by auth-service for its own APIs.
     */
    public static SecurityFilterChain bearerTokenChain(HttpSecurity http, TokenVerificationProperties properties,
                                                       AppRateLimiter rateLimiter) throws Exception {
        ApplicationContext context = http.getSharedObject(ApplicationContext.class);
        boolean separateManagementPort = ManagementPortType.get(context.getEnvironment()) == ManagementPortType.DIFFERENT;
        CorsProperties crossOrigin = context.getBean(CorsProperties.class);
        // answers preflights before authentication (they carry no token) and adds the CORS headers to every
        // answer, problem documents included, so a page of an allowed origin can read a 401; a refused
        // cross-origin request is a problem document too
        if (crossOrigin.enabled()) {
            CorsFilter corsFilter = new CorsFilter(crossOrigin.configurationSource());
            corsFilter.setCorsProcessor(new ProblemCorsProcessor());
            http.addFilterAt(corsFilter, CorsFilter.class);
        }
        return http
                .cors(cors -> cors.disable())
                .addFilterAfter(new AppRateLimitFilter(rateLimiter), BearerTokenAuthenticationFilter.class)
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(requests -> {
                    requests.requestMatchers(properties.publicPaths().toArray(String[]::new)).permitAll();
                    // with a separate management port, this matches only requests on that port
                    var operatorEndpoints = requests.requestMatchers(EndpointRequest.toAnyEndpoint());
                    if (separateManagementPort) {
                        operatorEndpoints.permitAll();
                    } else {
                        operatorEndpoints.denyAll();
                    }
                    requests.anyRequest().authenticated();
                })
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .withObjectPostProcessor(ProblemSecurityHandlers.bearerTokenFailures())
                        .jwt(jwt -> { })
                        .authenticationEntryPoint(ProblemSecurityHandlers.entryPoint())
                        .accessDeniedHandler(ProblemSecurityHandlers.accessDeniedHandler()))
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint(ProblemSecurityHandlers.entryPoint())
                        .accessDeniedHandler(ProblemSecurityHandlers.accessDeniedHandler()))
                .build();
    }
}
