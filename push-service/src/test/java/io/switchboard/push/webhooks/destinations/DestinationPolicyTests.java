package io.switchboard.push.webhooks.destinations;

import io.switchboard.platform.problems.ApiException;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DestinationPolicyTests {

    /** What a DNS server would answer for these names. */
    static final Map<String, String> ZONE = Map.of(
            "hooks.example.com", "93.184.215.14",
            "internal.example.com", "10.1.2.3",
            "metadata.example.com", "169.254.169.254",
            "v6.example.com", "2606:2800:21f:cb07:6820:80da:af6b:8b2c",
            "ula.example.com", "fd12:3456::1",
            "nat64.example.com", "64:ff9b::a00:1");

    static InetAddress[] zone(String host) throws UnknownHostException {
        String address = ZONE.get(host);
        if (address == null) {
            return InetAddress.getAllByName(host);   // literals only: the zone is the whole "DNS"
        }
        return new InetAddress[]{InetAddress.getByName(address)};
    }

    final DestinationPolicy strict = new DestinationPolicy(List.of(), DestinationPolicyTests::zone);

    @Test
    void publicHttpsDestinationsAreAccepted() {
        strict.checkRegistration(URI.create("https://hooks.example.com/switchboard"));
        strict.checkRegistration(URI.create("https://v6.example.com:8443/switchboard"));
        strict.checkRegistration(URI.create("https://93.184.215.14/switchboard"));
    }

    @Test
    void namesAndLiteralsOfNonPublicAddressesAreRefused() {
        for (String url : List.of("https://internal.example.com/", "https://metadata.example.com/",
                "https://ula.example.com/", "https://nat64.example.com/", "https://127.0.0.1/", "https://[::1]/",
                "https://localhost/", "https://[::ffff:192.168.0.1]/", "https://198.18.0.1/", "https://224.0.0.1/",
                "https://[fe80::1]/", "https://255.255.255.255/")) {
            assertThatThrownBy(() -> strict.checkRegistration(URI.create(url))).as(url)
                    .isInstanceOf(ApiException.class).hasMessageContaining("not a public address");
        }
    }

    @Test
    void plainHttpOnlyToAnAllowedLoopbackAddress() {
        DestinationPolicy development = new DestinationPolicy(List.of("127.0.0.0/8", "10.1.0.0/16"), DestinationPolicyTests::zone);

        development.checkRegistration(URI.create("http://127.0.0.1:9000/hook"));
        development.checkRegistration(URI.create("https://internal.example.com/hook"));
        assertThatThrownBy(() -> development.checkRegistration(URI.create("http://internal.example.com/hook")))
                .hasMessageContaining("https");
        assertThatThrownBy(() -> strict.checkRegistration(URI.create("http://hooks.example.com/hook")))
                .hasMessageContaining("https");
    }

    @Test
    void aNameThatRebindsToAPrivateAddressAfterRegistrationIsRefusedAtDelivery() throws Exception {
        String[] answer = {"93.184.215.14"};
        DestinationPolicy policy = new DestinationPolicy(List.of(),
                host -> new InetAddress[]{InetAddress.getByName(answer[0])});
        policy.checkRegistration(URI.create("https://rebind.example.com/hook"));

        answer[0] = "169.254.169.254";

        assertThatThrownBy(() -> policy.addressesFor("rebind.example.com")).isInstanceOf(DestinationRefusedException.class);
    }

    @Test
    void onlyLoopbackEntriesOfTheAllowListCountAsAllowingLoopback() {
        assertThat(DestinationPolicy.allowsLoopback(List.of("127.0.0.0/8"))).isTrue();
        assertThat(DestinationPolicy.allowsLoopback(List.of("127.0.0.1"))).isTrue();
        assertThat(DestinationPolicy.allowsLoopback(List.of("0.0.0.0/0"))).isTrue();
        assertThat(DestinationPolicy.allowsLoopback(List.of("::1/128"))).isTrue();
        assertThat(DestinationPolicy.allowsLoopback(List.of("10.0.0.0/8", "fd00::/8"))).isFalse();
    }
}
