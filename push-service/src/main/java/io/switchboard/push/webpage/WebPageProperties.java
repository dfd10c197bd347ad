package io.switchboard.push.webpage;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.net.URI;

/**
 * The end-user web page push-service serves at {@code /}. The page calls both services from the
 * browser, so each must allow this service's origin in {@code switchboard.http.cors.allowed-origins}.
 *
 * @param messageServiceUrl    message-service's public base URL, which the page calls for history,
 *                             sending and read positions; the local stack's by default
 * @param membershipServiceUrl membership-service's public base URL, which the page calls for the
 *                             display names of a conversation's members; the local stack's by default
 */
@ConfigurationProperties("switchboard.push.web-page")
public record WebPageProperties(@DefaultValue("http://127.0.0.1:8083") URI messageServiceUrl,
                                @DefaultValue("http://127.0.0.1:8082") URI membershipServiceUrl) {

    /** The origins the page may connect to besides its own (for the Content-Security-Policy). */
    String apiOrigins() {
        return String.join(" ", origin(messageServiceUrl), origin(membershipServiceUrl));
    }

    /** message-service's base URL without a trailing slash, so the page can append {@code /v1/...}. */
    String messageServiceBase() {
        return base(messageServiceUrl);
    }

    /** membership-service's base URL without a trailing slash. */
    String membershipServiceBase() {
        return base(membershipServiceUrl);
    }

    private static String origin(URI url) {
        return url.getScheme() + "://" + url.getRawAuthority();
    }

    private static String base(URI url) {
        String text = url.toString();
        return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }
}
