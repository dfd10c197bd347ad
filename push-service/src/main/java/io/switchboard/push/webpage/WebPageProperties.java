package io.switchboard.push.webpage;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.net.URI;

/**
 * The end-user web page push-service serves at {@code /}.
 *
 * @param messageServiceUrl message-service's public base URL, which the page calls for history,
 *                          sending and read positions (message-service must allow this service's
 *                          origin in {@code switchboard.http.cors.allowed-origins}); the local
 *                          stack's by default
 */
@ConfigurationProperties("switchboard.push.web-page")
public record WebPageProperties(@DefaultValue("http://127.0.0.1:8083") URI messageServiceUrl) {

    /** The origin the page may connect to besides its own (for the Content-Security-Policy). */
    String messageServiceOrigin() {
        return messageServiceUrl.getScheme() + "://" + messageServiceUrl.getRawAuthority();
    }

    /** The base URL without a trailing slash, so the page can append {@code /v1/...}. */
    String messageServiceBase() {
        String url = messageServiceUrl.toString();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
