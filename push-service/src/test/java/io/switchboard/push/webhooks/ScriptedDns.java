package io.switchboard.push.webhooks;

import io.switchboard.push.webhooks.destinations.DestinationPolicy;
import org.springframework.stereotype.Component;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The DNS of push-service's tests, at the seam where the webhook destination policy looks names
 * up (registration and every delivery's connection): a name a test scripted answers as scripted,
 * and can be re-pointed at any moment (DNS rebinding, without a DNS server); any other name is
 * looked up by the system, as without it. Being a bean of the test sources, it is part of the
 * one test context every push-service test shares.
 */
@Component
public class ScriptedDns implements DestinationPolicy.HostResolver {

    private final Map<String, InetAddress[]> answers = new ConcurrentHashMap<>();

    /** From now on, {@code host} resolves to these address literals. */
    public void answer(String host, String... addresses) {
        InetAddress[] resolved = new InetAddress[addresses.length];
        for (int i = 0; i < addresses.length; i++) {
            try {
                resolved[i] = InetAddress.getByAddress(host, InetAddress.getByName(addresses[i]).getAddress());
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("Not an address literal: " + addresses[i], e);
            }
        }
        answers.put(host, resolved);
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        InetAddress[] scripted = answers.get(host);
        return scripted != null ? scripted.clone() : InetAddress.getAllByName(host);
    }
}
