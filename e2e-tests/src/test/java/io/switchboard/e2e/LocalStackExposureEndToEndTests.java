package io.switchboard.e2e;

import io.switchboard.stack.Stack;
import io.switchboard.stack.StackService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * A developer's stack (the same {@code Stack} as {@code ./switchboard start}) is not for the
 * network it sits on: every service listens on loopback only, and its data folder (keysets, the
 * admin password, databases, logs) is its owner's alone.
 */
@ExtendWith(EndToEndStack.Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalStackExposureEndToEndTests {

    private Stack stack;

    @BeforeAll
    void useTheStack(EndToEndStack e2e) {
        stack = e2e.stack();
    }

    @Test
    void theServicesAnswerOnLoopbackOnlyNotOnThisMachinesOtherAddresses() throws Exception {
        List<InetAddress> external = NetworkInterface.networkInterfaces().filter(this::isUp)
                .flatMap(NetworkInterface::inetAddresses)
                .filter(address -> address instanceof Inet4Address && !address.isLoopbackAddress()).toList();
        assumeFalse(external.isEmpty(), "this machine has no address but loopback");
        for (StackService service : StackService.values()) {
            int port = URI.create(stack.url(service)).getPort();
            try (Socket loopback = new Socket(InetAddress.getLoopbackAddress(), port)) {
                assertThat(loopback.isConnected()).isTrue();
            }
            for (InetAddress address : external) {
                assertThatThrownBy(() -> {
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress(address, port), 2_000);
                    }
                }).as(service.module() + " on " + address).isInstanceOf(ConnectException.class);
            }
        }
    }

    @Test
    void theDataFolderIsItsOwnersAlone() throws IOException {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stack.dataDirectory())))
                .isEqualTo("rwx------");
    }

    private boolean isUp(NetworkInterface networkInterface) {
        try {
            return networkInterface.isUp();
        } catch (IOException e) {
            return false;
        }
    }
}
