package io.switchboard.push.gateway;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

/**
 * {@code /v1/ws}: the push endpoint. Origins are not restricted because the handshake carries a
 * bearer token, not a cookie: another site cannot open a session without stealing the token.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class WebSocketConfiguration implements WebSocketConfigurer {

    static final String PATH = "/v1/ws";

    private final PushSocketHandler handler;

    WebSocketConfiguration(PushSocketHandler handler) {
        this.handler = handler;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        registry.addHandler(handler, PATH)
                .addInterceptors(new HandshakeAuthorization())
                .setAllowedOriginPatterns("*");
    }
}
