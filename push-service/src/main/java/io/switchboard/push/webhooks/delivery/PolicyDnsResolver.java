package io.switchboard.push.webhooks.delivery;

import io.switchboard.push.webhooks.destinations.DestinationPolicy;
import org.apache.hc.client5.http.DnsResolver;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The HTTP client's resolver: it connects only to the addresses the destination policy resolved
 * and checked, at the moment of connecting, so DNS rebinding cannot move a delivery elsewhere.
 */
final class PolicyDnsResolver implements DnsResolver {

    private final DestinationPolicy policy;

    PolicyDnsResolver(DestinationPolicy policy) {
        this.policy = policy;
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        return policy.addressesFor(host);
    }

    @Override
    public String resolveCanonicalHostname(String host) {
        return host;
    }
}
