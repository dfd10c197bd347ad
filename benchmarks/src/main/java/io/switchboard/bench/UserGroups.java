package io.switchboard.bench;

import io.switchboard.client.SwitchboardClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

/**
 * Users of an app ({@code user-00000}, ...) with a token each, to be put in groups of consecutive
 * users ({@code team-00000}, ...): the audience of the benchmarks that send messages to small
 * groups. The groups are created apart, once the users' connections are open, so that every
 * connection is told it joined.
 *
 * @param tokens one user token per user, in the users' order
 */
record UserGroups(List<String> users, List<String> groups, int groupSize, List<String> tokens) {

    /** Provisions {@code userCount} users and mints their tokens; {@code appToken} needs users:write and user-tokens:mint. */
    static UserGroups provision(SwitchboardClient client, String appToken, int userCount, int groupSize)
            throws Exception {
        List<String> users = IntStream.range(0, userCount).mapToObj(i -> String.format(Locale.ROOT, "user-%05d", i))
                .toList();
        List<String> groups = IntStream.range(0, userCount / groupSize)
                .mapToObj(i -> String.format(Locale.ROOT, "team-%05d", i)).toList();
        client.importUsers(appToken, users);
        return new UserGroups(users, groups, groupSize, UserTokens.mint(client, appToken, users));
    }

    /** Creates the groups, 8 requests at a time; {@code appToken} needs conversations:write. */
    void createGroups(SwitchboardClient client, String appToken) throws Exception {
        List<Future<?>> created = new ArrayList<>();
        try (ExecutorService workers = Executors.newFixedThreadPool(8)) {
            for (int g = 0; g < groups.size(); g++) {
                List<String> members = users.subList(g * groupSize, (g + 1) * groupSize);
                String group = groups.get(g);
                created.add(workers.submit(() -> client.createGroup(appToken, group, group, members)));
            }
        }
        for (Future<?> group : created) {
            group.get();
        }
    }

    /** Members of all groups together: the joined frames to wait for, and the frames one message to every group makes. */
    int members() {
        return groups.size() * groupSize;
    }
}
