package io.switchboard.push.webhooks.destinations;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** A block of IPv4 or IPv6 addresses, {@code 10.0.0.0/8} or {@code fc00::/7}. */
record Cidr(byte[] network, int prefixLength) {

    /** Parses {@code address/prefix}; a bare address is a block of one. */
    static Cidr parse(String text) {
        String[] parts = text.trim().split("/", 2);
        if (!isAddressLiteral(parts[0])) {
            throw new IllegalArgumentException("Not an IP address block: " + text);
        }
        try {
            byte[] network = InetAddress.getByName(parts[0]).getAddress();
            int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : network.length * 8;
            if (prefix < 0 || prefix > network.length * 8) {
                throw new IllegalArgumentException("Prefix length out of range: " + text);
            }
            return new Cidr(network, prefix);
        } catch (UnknownHostException | NumberFormatException e) {
            throw new IllegalArgumentException("Not an IP address block: " + text, e);
        }
    }

    boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length != network.length) {
            return false;
        }
        int fullBytes = prefixLength / 8;
        for (int i = 0; i < fullBytes; i++) {
            if (bytes[i] != network[i]) {
                return false;
            }
        }
        int remainingBits = prefixLength % 8;
        if (remainingBits == 0) {
            return true;
        }
        int mask = (0xff << (8 - remainingBits)) & 0xff;
        return (bytes[fullBytes] & mask) == (network[fullBytes] & mask);
    }

    /** Whether any address of {@code other} is in this block. */
    boolean overlaps(Cidr other) {
        if (other.network.length != network.length) {
            return false;
        }
        int shorter = Math.min(prefixLength, other.prefixLength);
        return new Cidr(network, shorter).containsBytes(other.network);
    }

    private boolean containsBytes(byte[] bytes) {
        try {
            return contains(InetAddress.getByAddress(bytes));
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** An IPv4 or IPv6 literal (never a name: parsing one must not look anything up). */
    static boolean isAddressLiteral(String text) {
        return text.matches("[0-9.]+") && text.chars().filter(c -> c == '.').count() == 3 || text.contains(":");
    }
}
