package io.switchboard.push.gateway;

import io.switchboard.push.PushProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import io.switchboard.push.tickets.Tickets;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.socket.WebSocketExtension;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

import java.util.List;

/**
 * {@code /v1/ws}: the push endpoint. Origins are not restricted because the handshake carries a
 * bearer token, not a cookie: another site cannot open a session without stealing the token.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class WebSocketConfiguration implements WebSocketConfigurer {

    static final String PATH = "/v1/ws";

    private final PushSocketHandler handler;
    private final JwtDecoder decoder;
    private final Tickets tickets;
    private final PushProperties properties;

    WebSocketConfiguration(PushSocketHandler handler, JwtDecoder decoder, Tickets tickets, PushProperties properties) {
        this.tickets = tickets;
        this.handler = handler;
        this.decoder = decoder;
        this.properties = properties;
    }

    /**
     * The handshake authenticates in {@link HandshakeAuthorization}, not in the API's filter chain:
     * a refused token must end in a close code a browser page can read, not an HTTP 401 it cannot.
     */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    SecurityFilterChain pushHandshakeSecurity(HttpSecurity http) throws Exception {
        return http.securityMatcher(PATH)
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .build();
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        registry.addHandler(handler, PATH)
                .setHandshakeHandler(properties.permessageDeflate() ? new DefaultHandshakeHandler() : new NoExtensions())
                .addInterceptors(new HandshakeAuthorization(decoder, tickets))
                .setAllowedOriginPatterns("*");
    }

    /** Accepts no extension a client offers: with {@code permessage-deflate} off, frames go uncompressed. */
    private static final class NoExtensions extends DefaultHandshakeHandler {
        @Override
        protected List<WebSocketExtension> filterRequestedExtensions(ServerHttpRequest request,
                                                                     List<WebSocketExtension> requestedExtensions,
                                                                     List<WebSocketExtension> supportedExtensions) {
            return List.of();
        }
    }
}
