package io.switchboard.push.webhooks.destinations;

import java.net.UnknownHostException;

/**
 * A webhook destination that resolves to an address deliveries may not reach (private, loopback,
 * link-local, cloud metadata, ...). An {@link UnknownHostException}, so the HTTP client treats it
 * as a host it cannot connect to: it never opens a connection.
 */
public class DestinationRefusedException extends UnknownHostException {

    public DestinationRefusedException(String message) {
        super(message);
    }
}
