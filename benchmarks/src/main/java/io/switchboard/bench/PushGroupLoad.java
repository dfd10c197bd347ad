package io.switchboard.bench;

import io.switchboard.client.SwitchboardClient;
import io.switchboard.stack.StackService;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.IntStream;

/**
 * {@code ./switchboard bench push-group}: one message to a large group with every member
 * connected. Starts the whole system (services on PostgreSQL, Kafka, the registry), provisions
 * {@code BENCH_MEMBERS} (10,000) users, connects each (the last {@code BENCH_BROWSER_MEMBERS}
 * (1,000) as browsers do, offering {@code permessage-deflate}), creates one group with all of
 * them through membership-service's HTTP API (1,000 members a request) and waits until every
 * connection was told it joined. Then {@code BENCH_ROUNDS} (5) times, 2 s apart: one text message
 * to the group through message-service's HTTP API, and for every member the time from just before
 * the request to the frame on its connection: first, p50, p99 and last arrival. Also the bytes a
 * message frame took on the wire, with and without {@code permessage-deflate}.
 */
public final class PushGroupLoad {

    private static final String MARK = "push-group round ";
    /** A different text each round: with permessage-deflate's context kept, a repeated text would compress to almost nothing. */
    private static final List<String> TEXTS = List.of(
            ": the deploy of build 4711 finished, all checks green, rollout to production at 14:00.",
            ": reminder, the quarterly review moves to Thursday 10:30 in room B2; slides are in the shared folder.",
            ": incident INC-2291 resolved, payment provider latency back to normal since 09:12 UTC.",
            ": welcome Priya Raman to the support team in Lisbon, starting Monday!",
            ": office network maintenance tonight 22:00-23:00, VPN may drop twice.");
    private static final Duration STALL = Duration.ofSeconds(30);

    private final int members;
    /** Per round, per member: when the round's message arrived (nanoTime), 0 until it did. */
    private final List<AtomicLongArray> arrivals = new ArrayList<>();
    private final AtomicLong[] wireBytes = {new AtomicLong(), new AtomicLong()};
    private final AtomicLong[] frames = {new AtomicLong(), new AtomicLong()};
    private volatile int payloadBytes;

    private PushGroupLoad(int members, int rounds) {
        this.members = members;
        for (int i = 0; i < rounds; i++) {
            arrivals.add(new AtomicLongArray(members));
        }
    }

    public static void main(String[] args) throws Exception {
        int members = BenchSettings.integer("BENCH_MEMBERS", 10_000);
        int browsers = Math.min(members, BenchSettings.integer("BENCH_BROWSER_MEMBERS", 1_000));
        int rounds = BenchSettings.integer("BENCH_ROUNDS", 5);
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        PushGroupLoad load = new PushGroupLoad(members, rounds);
        try (BenchStack bench = BenchStack.start()) {
            SwitchboardClient client = bench.client();
            SwitchboardClient.App app = bench.createApp("push group benchmark");
            String appToken = client.appToken(app, "user-tokens:mint", "users:write", "conversations:write",
                    "messages:write");
            List<String> users = IntStream.range(0, members).mapToObj(i -> String.format(Locale.ROOT, "member-%05d", i))
                    .toList();
            long setupStart = System.nanoTime();
            client.importUsers(appToken, users);
            List<String> tokens = UserTokens.mint(client, appToken, users);
            try (ConnectedUsers connected = ConnectedUsers.connect(bench.client(), bench.stack().url(StackService.PUSH), tokens, browsers,
                    load::onFrame)) {
                double connectedSeconds = (System.nanoTime() - setupStart) / 1e9;
                String group = "all-hands";
                long groupStart = System.nanoTime();
                client.createGroup(appToken, group, "All hands", users.subList(0, Math.min(1000, members)));
                client.addMembers(appToken, group, users.subList(Math.min(1000, members), members));
                int joined = connected.awaitJoined(members, STALL);
                System.out.printf(Locale.ROOT, "push-group: %,d members, each connected (%,d as browsers with "
                                + "permessage-deflate), provisioned and connected in %.1f s; group created and every "
                                + "connection told it joined in %.1f s (%,d of %,d); services on PostgreSQL %s; Kafka, "
                                + "Apicurio, 4 services and this load generator on %d cores; load average before start %.1f%n",
                        members, connected.browserCount(), connectedSeconds, (System.nanoTime() - groupStart) / 1e9,
                        joined, members, BenchStack.databaseDescription(), Runtime.getRuntime().availableProcessors(),
                        loadBefore);
                MessageSender sender = new MessageSender(bench.stack().url(StackService.MESSAGE), appToken);
                awaitAccepted(sender, group);
                for (int round = 0; round < rounds; round++) {
                    load.round(sender, group, round, bench);
                    Thread.sleep(2000);
                }
                load.printBytes(rounds);
                System.out.printf(Locale.ROOT, "%,d of %,d connections still open%n", connected.open(), members);
            }
        }
    }

    /** message-service learns of the group from membership.changes: sends are refused until it has. */
    private static void awaitAccepted(MessageSender sender, String group) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (sender.sendText(group, "push-group warm-up") == null) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("message-service refused messages to the group for 2 minutes");
            }
            Thread.sleep(200);
        }
        Thread.sleep(2000);   // the warm-up message reaches everyone before the first round
    }

    private void round(MessageSender sender, String group, int round, BenchStack bench) throws InterruptedException {
        AtomicLongArray arrived = arrivals.get(round);
        CpuUsage cpu = CpuUsage.start(bench.stack().processes());
        long sent = System.nanoTime();
        String messageId = sender.sendText(group, MARK + round + TEXTS.get(round % TEXTS.size()));
        long accepted = System.nanoTime();
        if (messageId == null) {
            System.out.printf(Locale.ROOT, "round %d: the message was refused%n", round + 1);
            return;
        }
        Arrivals.await(IntStream.range(0, members).mapToObj(Integer::toString).toList(),
                member -> arrived.get(Integer.parseInt(member)) != 0, STALL);
        long[] latencies = IntStream.range(0, members).mapToLong(arrived::get).filter(at -> at != 0)
                .map(at -> at - sent).sorted().toArray();
        Percentiles percentiles = Percentiles.of(Arrays.stream(latencies).boxed().toList());
        System.out.printf(Locale.ROOT, "round %d: one message to %,d members: accepted (201) after %.1f ms; arrived on "
                        + "%,d connections: first %.1f ms, p50 %.1f ms, p99 %.1f ms, last %.1f ms after the request%n  %s%n",
                round + 1, members, (accepted - sent) / 1e6, percentiles.count(), percentiles.millis(0),
                percentiles.millis(50), percentiles.millis(99), percentiles.maxMillis(), cpu.report());
    }

    private void onFrame(int user, boolean compressed, String text, long receivedNanos, int wire) {
        int mark = text.indexOf(MARK);
        if (mark < 0 || !text.contains("\"message.created\"")) {
            return;
        }
        int from = mark + MARK.length();
        int round = Integer.parseInt(text.substring(from, text.indexOf(':', from)));
        arrivals.get(round).compareAndSet(user, 0, receivedNanos);
        int kind = compressed ? 1 : 0;
        wireBytes[kind].addAndGet(wire);
        frames[kind].incrementAndGet();
        if (!compressed) {
            payloadBytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        }
    }

    private void printBytes(int rounds) {
        System.out.printf(Locale.ROOT, "bytes per message frame on the wire (WebSocket header included): %,.0f without "
                        + "compression (%,d frames; the last JSON was %,d bytes), %,.0f with permessage-deflate (%,d frames, "
                        + "%d messages per connection, context kept between messages) = %.0f %%%n",
                (double) wireBytes[0].get() / Math.max(1, frames[0].get()), frames[0].get(), payloadBytes,
                (double) wireBytes[1].get() / Math.max(1, frames[1].get()), frames[1].get(), rounds,
                100.0 * wireBytes[1].get() / Math.max(1, frames[1].get())
                        / Math.max(1, (double) wireBytes[0].get() / Math.max(1, frames[0].get())));
    }
}
