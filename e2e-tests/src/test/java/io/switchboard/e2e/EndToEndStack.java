package io.switchboard.e2e;

import io.switchboard.client.Endpoints;
import io.switchboard.client.SwitchboardClient;
import io.switchboard.platform.testing.TestPostgres;
import io.switchboard.stack.Net;
import io.switchboard.stack.Stack;
import io.switchboard.stack.StackService;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What every end-to-end test class runs against: a Kafka broker (KRaft) and Apicurio Registry in
 * child processes and the four services' jars, each in its own JVM on a fresh PostgreSQL schema and
 * a free port, with a client of their public interfaces.
 */
final class EndToEndStack implements AutoCloseable {

    static final String ADMIN_PASSWORD = "e2e-admin-password";

    private final Stack stack;
    private final SwitchboardClient client;

    private EndToEndStack(Stack stack, SwitchboardClient client) {
        this.stack = stack;
        this.client = client;
    }

    static EndToEndStack start() {
        Path data;
        try {
            data = Files.createTempDirectory("switchboard-e2e");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<StackService, Integer> ports = new EnumMap<>(StackService.class);
        Map<StackService, String> databases = new EnumMap<>(StackService.class);
        for (StackService service : StackService.values()) {
            ports.put(service, Net.freePort());
            databases.put(service, TestPostgres.freshSchemaUrl(service.module().replace("-service", "") + "_e2e"));
        }
        Stack stack = Stack.start(new Stack.Config(Path.of(System.getProperty("switchboard.project.dir", "..")), data,
                Net.freePort(), Net.freePort(), Net.freePort(), ports, false,
                service -> Map.of("spring.datasource.url", databases.get(service),
                        "logging.level.io.switchboard.platform.security", "DEBUG"),
                ADMIN_PASSWORD, List.of("-Xmx384m"), Duration.ofMinutes(4)));
        SwitchboardClient client = new SwitchboardClient(new Endpoints(stack.url(StackService.AUTH),
                stack.url(StackService.MEMBERSHIP), stack.url(StackService.MESSAGE), stack.url(StackService.PUSH),
                stack.kafkaBootstrapServers(), stack.registry().registryApiUrl()));
        return new EndToEndStack(stack, client);
    }

    Stack stack() {
        return stack;
    }

    SwitchboardClient client() {
        return client;
    }

    @Override
    public void close() {
        client.close();
        stack.close();
    }
}
