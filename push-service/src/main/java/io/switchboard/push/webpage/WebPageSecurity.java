package io.switchboard.push.webpage;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;

/**
 * The page and its settings are public (they hold nothing secret; the user pastes their token into
 * the page, which keeps it in the tab's sessionStorage only). Its Content-Security-Policy lets it run
 * its own scripts only and talk only to this service (the WebSocket), message-service and
 * membership-service, so a message's content can never run code or send the token elsewhere.
 */
@Configuration(proxyBeanMethods = false)
class WebPageSecurity {

    /** The page, its scripts and styles under {@code /web/}, and its settings. */
    static final String[] PATHS = {"/", "/index.html", "/web/**", WebConfigController.PATH};

    @Bean
    @Order(0)
    SecurityFilterChain webPage(HttpSecurity http, WebPageProperties properties) throws Exception {
        return http
                .securityMatcher(PATHS)
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .csrf(csrf -> csrf.disable())
                .requestCache(cache -> cache.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives(contentSecurityPolicy(properties)))
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.NO_REFERRER)))
                .build();
    }

    static String contentSecurityPolicy(WebPageProperties properties) {
        return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                + "connect-src 'self' " + properties.apiOrigins() + "; "
                + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    }
}
