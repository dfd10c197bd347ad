package io.switchboard.message;

import java.net.URI;
import java.net.URISyntaxException;

/** Links that clients open in a browser: card buttons, the business object of an event. */
public final class WebLinks {

    private WebLinks() {
    }

    /** {@code true} for an absolute http or https URL with a host. */
    public static boolean isWebLink(String url) {
        try {
            URI uri = new URI(url);
            return uri.isAbsolute() && uri.getHost() != null
                    && ("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()));
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
