package io.switchboard.bench;

import io.switchboard.client.SwitchboardClient;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** User tokens minted through auth-service's HTTP API, as an app's server mints them for its users. */
final class UserTokens {

    /** Requests in flight while minting: enough to keep auth-service busy on two cores. */
    private static final int MINTING_AT_ONCE = 8;

    private UserTokens() {
    }

    /** One token per user (default lifetime, one hour), in the users' order. */
    static List<String> mint(SwitchboardClient client, String appToken, List<String> users) throws Exception {
        List<Future<String>> minted = new ArrayList<>();
        try (ExecutorService minting = Executors.newFixedThreadPool(MINTING_AT_ONCE)) {
            for (String user : users) {
                minted.add(minting.submit(() -> client.userToken(appToken, user)));
            }
        }
        List<String> tokens = new ArrayList<>(users.size());
        for (Future<String> token : minted) {
            tokens.add(token.get());
        }
        return tokens;
    }
}
