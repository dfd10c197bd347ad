package io.switchboard.bench;

import io.switchboard.client.SwitchboardClient;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** User tokens minted through auth-service's HTTP API, as an app's server mints them for its users. */
public final class UserTokens {

    /** Requests in flight while minting: enough to keep auth-service busy on two cores. */
    private static final int MINTING_AT_ONCE = 8;

    private UserTokens() {
    }

    /** One token per user (default lifetime, one hour), in the users' order. */
    public static List<String> mint(SwitchboardClient client, String appToken, List<String> users) throws Exception {
        return each(users, user -> client.userToken(appToken, user));
    }

    /**
     * One WebSocket ticket per token, in the tokens' order, as a browser gets one right before it
     * connects (a ticket is valid 30 s: take them just before the connections they are for).
     */
    static List<String> tickets(SwitchboardClient client, List<String> tokens) throws Exception {
        return each(tokens, client::webSocketTicket);
    }

    private static List<String> each(List<String> inputs, java.util.function.Function<String, String> call) throws Exception {
        List<Future<String>> results = new ArrayList<>();
        try (ExecutorService calls = Executors.newFixedThreadPool(MINTING_AT_ONCE)) {
            for (String input : inputs) {
                results.add(calls.submit(() -> call.apply(input)));
            }
        }
        List<String> outputs = new ArrayList<>(inputs.size());
        for (Future<String> output : results) {
            outputs.add(output.get());
        }
        return outputs;
    }
}
