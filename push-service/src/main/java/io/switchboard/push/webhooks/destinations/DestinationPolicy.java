package io.switchboard.push.webhooks.destinations;

import io.switchboard.platform.problems.ApiException;
import io.switchboard.platform.problems.ErrorCode;
import io.switchboard.push.webhooks.WebhookProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Where webhook deliveries may go (SSRF protection). A destination must resolve only to public
 * internet addresses: private, loopback, link-local (cloud metadata at 169.254.169.254 and
 * fd00:ec2::254 included), carrier-grade NAT, multicast, documentation and other special-purpose
 * blocks are refused, unless an operator lists the block in {@code allowed-networks}. Plain
 * {@code http} is accepted only for loopback destinations so allowed (development, tests).
 *
 * <p>Checked twice: when an endpoint is registered or changed ({@link #checkRegistration}), and on
 * every delivery attempt by the HTTP client's resolver ({@link #addressesFor}), which hands the
 * client only addresses it has checked: a name that re-resolves to a private address later (DNS
 * rebinding) is refused before any connection is opened.
 */
@Component
public class DestinationPolicy {

    /**
     * Special-purpose blocks (IANA's registries) that are not the public internet. IPv4-mapped IPv6
     * addresses ({@code ::ffff:a.b.c.d}) need no entry: Java resolves them to the IPv4 address.
     */
    private static final List<Cidr> NOT_PUBLIC = Stream.of(
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
            "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15",
            "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
            "::/96", "64:ff9b::/96", "64:ff9b:1::/48", "100::/64", "2001::/23", "2001:db8::/32",
            "2002::/16", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8").map(Cidr::parse).toList();

    /**
     * Looks a host name up: the system resolver, unless the application context holds a bean of
     * this type (the seam where tests put a scripted DNS, there being no DNS server to rebind).
     */
    @FunctionalInterface
    public interface HostResolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final List<Cidr> allowed;
    private final HostResolver resolver;

    @Autowired
    DestinationPolicy(WebhookProperties properties, ObjectProvider<HostResolver> resolver) {
        this(properties.allowedNetworks(), resolver.getIfAvailable(() -> InetAddress::getAllByName));
    }

    public DestinationPolicy(List<String> allowedNetworks, HostResolver resolver) {
        this.allowed = allowedNetworks.stream().map(Cidr::parse).toList();
        this.resolver = resolver;
    }

    /** Whether an allowed-networks entry would let deliveries reach this machine (refused by the prod profile). */
    public static boolean allowsLoopback(List<String> allowedNetworks) {
        List<Cidr> loopback = List.of(Cidr.parse("127.0.0.0/8"), Cidr.parse("::1/128"));
        return allowedNetworks.stream().map(Cidr::parse).anyMatch(block -> loopback.stream().anyMatch(block::overlaps));
    }

    /**
     * Checks an endpoint URL: absolute {@code https} (or {@code http} to an allowed loopback
     * address), no user info, a host that resolves, and only to allowed addresses.
     *
     * @throws ApiException {@code webhook-url-refused}, saying why
     */
    public void checkRegistration(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!url.isAbsolute() || !(scheme.equals("https") || scheme.equals("http")) || url.getHost() == null) {
            throw refused("The URL must be an absolute https URL with a host");
        }
        if (url.getRawUserInfo() != null || url.getRawFragment() != null) {
            throw refused("The URL may carry neither user info nor a fragment");
        }
        InetAddress[] addresses;
        try {
            addresses = addressesFor(url.getHost());
        } catch (DestinationRefusedException e) {
            throw refused(e.getMessage());
        } catch (UnknownHostException e) {
            throw refused("The host " + url.getHost() + " does not resolve");
        }
        if (scheme.equals("http") && !Arrays.stream(addresses).allMatch(InetAddress::isLoopbackAddress)) {
            throw refused("The URL must use https (plain http only to an allowed loopback address, in development)");
        }
    }

    /**
     * The addresses of {@code host} a delivery may connect to: all of them, once each is checked.
     *
     * @throws DestinationRefusedException when any of them is not allowed
     * @throws UnknownHostException        when the host does not resolve
     */
    public InetAddress[] addressesFor(String host) throws UnknownHostException {
        InetAddress[] addresses = resolver.resolve(host);
        for (InetAddress address : addresses) {
            if (!isAllowed(address)) {
                throw new DestinationRefusedException("The host " + host + " resolves to " + address.getHostAddress()
                        + ", which is not a public address");
            }
        }
        return addresses;
    }

    private boolean isAllowed(InetAddress address) {
        if (allowed.stream().anyMatch(block -> block.contains(address))) {
            return true;
        }
        boolean special = address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress();
        return !special && NOT_PUBLIC.stream().noneMatch(block -> block.contains(address));
    }

    private static ApiException refused(String detail) {
        return new ApiException(ErrorCode.WEBHOOK_URL_REFUSED, detail);
    }
}
