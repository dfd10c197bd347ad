package io.switchboard.push.gateway;

import io.switchboard.push.PushProperties;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;

/**
 * The buffers each connection holds for as long as it is open, sized for many idle connections
 * (a gateway holds 100,000) rather than for throughput. With Tomcat's defaults an idle push
 * session held about 58 KiB of heap, nearly all of it buffers: 8 KiB each for the connection's
 * read and write buffers, WebSocket's input, output and encoder buffers, the binary message
 * buffer, and 16 KiB for the text message buffer (8,192 characters). Frames of the push protocol
 * are small (a text message's frame is ~500 bytes), so small buffers cost a few more system calls
 * for the rare large frame and save most of the memory ({@code ./switchboard bench push-idle}).
 */
@Configuration(proxyBeanMethods = false)
class ConnectionBuffers {

    /** Tomcat's WebSocket buffer size, read once when its WebSocket classes load. */
    private static final String TOMCAT_WEBSOCKET_BUFFER = "org.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE";
    /**
     * The protocol has no binary frames: one is refused with 1003 at its first part. Tomcat also
     * stages a text frame's bytes in a buffer of this size on their way to characters.
     */
    private static final int BINARY_MESSAGE_BYTES = 256;

    /**
     * Sets Tomcat's WebSocket buffer size before the server starts (so before its WebSocket classes
     * load), unless the JVM was started with it ({@code -D}), and shrinks each connection's
     * socket buffers.
     */
    @Bean
    TomcatConnectorCustomizer connectionBufferSizes(PushProperties properties) {
        if (System.getProperty(TOMCAT_WEBSOCKET_BUFFER) == null) {
            System.setProperty(TOMCAT_WEBSOCKET_BUFFER, Integer.toString(properties.frameBufferBytes()));
        }
        return connector -> {
            connector.setProperty("socket.appReadBufSize", Integer.toString(properties.socketBufferBytes()));
            connector.setProperty("socket.appWriteBufSize", Integer.toString(properties.socketBufferBytes()));
        };
    }

    /**
     * The message buffers of each WebSocket session. Client messages longer than the text buffer
     * reach {@link PushSocketHandler} in parts ({@link ClientMessages}), not a 1009.
     */
    @Bean
    ServletServerContainerFactoryBean webSocketContainer(PushProperties properties) {
        ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
        container.setMaxTextMessageBufferSize(properties.clientFrameBufferChars());
        container.setMaxBinaryMessageBufferSize(BINARY_MESSAGE_BYTES);
        return container;
    }
}
