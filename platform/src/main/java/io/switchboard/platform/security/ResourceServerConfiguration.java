package io.switchboard.platform.security;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Token verification for every service but auth-service: bearer JWTs signed by auth-service,
 * verified locally against its JWKS (keys cached, refreshed when an unknown key id appears),
 * issuer checked, and a scope required by each endpoint. Health, metrics and API docs are public.
 */
@Configuration(proxyBeanMethods = false)
@EnableMethodSecurity
@EnableConfigurationProperties(TokenVerificationProperties.class)
public class ResourceServerConfiguration {

    @Bean
    JwtDecoder jwtDecoder(TokenVerificationProperties properties) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(properties.jwkSetUri().toString())
                .jwsAlgorithm(SignatureAlgorithm.ES256)
                .build();
        decoder.setJwtValidator(JwtValidators.createDefaultWithIssuer(properties.issuer()));
        return decoder;
    }

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, TokenVerificationProperties properties) throws Exception {
        return bearerTokenChain(http, properties);
    }

    /**
     * Stateless API security: public paths open, everything else needs a verified bearer token;
     * refusals are problem documents. Also used by auth-service for its own APIs.
     */
    public static SecurityFilterChain bearerTokenChain(HttpSecurity http, TokenVerificationProperties properties)
            throws Exception {
        return http
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(properties.publicPaths().toArray(String[]::new)).permitAll()
                        .anyRequest().authenticated())
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .jwt(jwt -> { })
                        .authenticationEntryPoint(ProblemSecurityHandlers.entryPoint())
                        .accessDeniedHandler(ProblemSecurityHandlers.accessDeniedHandler()))
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint(ProblemSecurityHandlers.entryPoint())
                        .accessDeniedHandler(ProblemSecurityHandlers.accessDeniedHandler()))
                .build();
    }
}
