package io.switchboard.bench;

import io.switchboard.client.SwitchboardClient;
import io.switchboard.stack.StackService;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ./switchboard bench push-rate}: delivery latency at a steady message rate with many users
 * connected. Starts the whole system (services on PostgreSQL, Kafka, the registry), provisions
 * {@code BENCH_USERS} (10,000) users, each holding a push connection, in groups of
 * {@code BENCH_GROUP_SIZE} (5), and waits until every connection was told it joined. After one
 * message to every group (warm-up), messages go out open loop at {@code BENCH_RATE} (2,000)
 * messages/s for {@code BENCH_SECONDS} (30), each to the next group in turn, one per request to
 * message-service's HTTP API (sends are scheduled, so a slow response does not delay the next
 * one); each message reaches every member of its group. Printed: the rate the sends kept, and for
 * every frame the time from the send's scheduled start to the frame on the member's connection,
 * p50/p99/max, split into request → stored (201), request → published on {@code chat.messages}
 * and request → WebSocket; and where the CPU went. If fewer frames arrived per second than the
 * rate asked for, the whole again at half the rate that was delivered (a rate the machine holds,
 * so the figures are not just a queue growing).
 *
 * <p>{@code BENCH_SOURCE=kafka} publishes the measured messages on {@code chat.messages} instead,
 * as message-service's outbox relay does ({@link ChatMessagesPublisher}): push-service at the rate
 * asked for, where message-service on the same cores could not store that many (its own benchmark
 * measures it). The warm-up still goes through message-service.
 */
public final class PushRateLoad {

    private static final String MARK = "push-rate ";
    private static final String TEXT = ": status update from the build pipeline, all checks green.";
    /** Sends in flight at most: beyond that the sender is behind schedule and says so. */
    private static final int MAX_IN_FLIGHT = 4_000;
    private static final Duration STALL = Duration.ofSeconds(30);

    private final int groupSize;
    private final List<String> groups;
    private final MessageSender sender;
    private final PublishedMessages published;
    private final BenchStack bench;
    /** Publishes the measured messages on chat.messages directly; null: through message-service. */
    private final ChatMessagesPublisher publisher;
    /** The run in progress: scheduled start of each send, and each frame's latency. */
    private volatile Run run;

    private PushRateLoad(int groupSize, List<String> groups, MessageSender sender, PublishedMessages published,
                         BenchStack bench, ChatMessagesPublisher publisher) {
        this.groupSize = groupSize;
        this.groups = groups;
        this.sender = sender;
        this.published = published;
        this.bench = bench;
        this.publisher = publisher;
    }

    public static void main(String[] args) throws Exception {
        int userCount = BenchSettings.integer("BENCH_USERS", 10_000);
        int groupSize = BenchSettings.integer("BENCH_GROUP_SIZE", 5);
        int rate = BenchSettings.integer("BENCH_RATE", 2_000);
        int seconds = BenchSettings.integer("BENCH_SECONDS", 30);
        boolean viaKafka = switch (System.getenv().getOrDefault("BENCH_SOURCE", "http")) {
            case "http" -> false;
            case "kafka" -> true;
            default -> throw new IllegalArgumentException("BENCH_SOURCE is http or kafka");
        };
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        try (BenchStack bench = BenchStack.start();
             PublishedMessages published = PublishedMessages.byMessageId(bench.stack().kafkaBootstrapServers(),
                     bench.stack().registry().registryApiUrl())) {
            SwitchboardClient client = bench.client();
            SwitchboardClient.App app = bench.createApp("push rate benchmark");
            String appToken = client.appToken(app, "user-tokens:mint", "users:write", "conversations:write",
                    "messages:write");
            long setupStart = System.nanoTime();
            UserGroups audience = UserGroups.provision(client, appToken, userCount, groupSize);
            List<String> groups = audience.groups();
            ChatMessagesPublisher publisher = viaKafka ? new ChatMessagesPublisher(app.appId(),
                    bench.stack().kafkaBootstrapServers(), bench.stack().registry().registryApiUrl()) : null;
            PushRateLoad load = new PushRateLoad(groupSize, groups,
                    new MessageSender(bench.stack().url(StackService.MESSAGE), appToken), published, bench, publisher);
            try (publisher; ConnectedUsers connected = ConnectedUsers.connect(bench.client(), bench.stack().url(StackService.PUSH),
                    audience.tokens(), 0, load::onFrame)) {
                audience.createGroups(client, appToken);
                int joined = connected.awaitJoined(audience.members(), STALL);
                System.out.printf(Locale.ROOT, "push-rate: %,d users each with a push connection, in %,d groups of %d "
                                + "(%,d told they joined), ready %.1f s after the app was created; services on "
                                + "PostgreSQL %s; Kafka, Apicurio, 4 services and this load generator on %d cores; load "
                                + "average before start %.1f%n", userCount, groups.size(), groupSize, joined,
                        (System.nanoTime() - setupStart) / 1e9, BenchStack.databaseDescription(),
                        Runtime.getRuntime().availableProcessors(), loadBefore);
                load.warmUp();
                double delivered = load.measure(rate, seconds);
                if (delivered < rate * 0.95) {
                    load.measure((int) Math.max(1, delivered / 2), seconds);
                }
                System.out.printf(Locale.ROOT, "%,d of %,d connections still open%n", connected.open(), userCount);
            }
        }
    }

    /**
     * One message to every group, until each is accepted (message-service learns of the groups
     * from membership.changes) and has reached its members.
     */
    private void warmUp() throws InterruptedException {
        long start = System.nanoTime();
        Run warmUp = new Run(groups.size());
        run = warmUp;
        try (ExecutorService senders = Executors.newFixedThreadPool(16)) {
            for (int i = 0; i < groups.size(); i++) {
                int index = i;
                senders.submit(() -> {
                    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                    while (System.nanoTime() < deadline) {
                        warmUp.scheduled[index] = System.nanoTime();
                        if (sender.sendText(groups.get(index), warmUp.text(index)) != null) {
                            return null;
                        }
                        Thread.sleep(200);
                    }
                    return null;
                });
            }
        }
        Arrivals.await(List.of("all"), key -> warmUp.frames.get() >= (long) groups.size() * groupSize, STALL);
        System.out.printf(Locale.ROOT, "warm-up: one message to each of %,d groups, %,d of %,d frames arrived, in %.1f s%n",
                groups.size(), warmUp.frames.get(), (long) groups.size() * groupSize, (System.nanoTime() - start) / 1e9);
    }

    /** Open-loop sends at {@code rate} for {@code seconds}; prints the figures and returns frames delivered per second. */
    private double measure(int rate, int seconds) throws InterruptedException {
        int total = rate * seconds;
        Run current = new Run(total);
        run = current;
        AtomicInteger refused = new AtomicInteger();
        int unansweredBefore = sender.unanswered();
        CpuUsage cpu = CpuUsage.start(bench.stack().processes());
        long start = System.nanoTime();
        long maxBehind = OpenLoop.run(rate, total, MAX_IN_FLIGHT, (index, due) -> {
            current.scheduled[index] = due;
            String group = groups.get(index % groups.size());
            String id = publisher != null ? publisher.publish(group, current.text(index))
                    : sender.sendText(group, current.text(index));
            current.accepted[index] = System.nanoTime();
            current.messageIds[index] = id;
            if (id == null) {
                refused.incrementAndGet();
            }
        });
        double sendSeconds = (System.nanoTime() - start) / 1e9;
        int unanswered = sender.unanswered() - unansweredBefore;
        long expected = (long) (total - refused.get()) * groupSize;
        Arrivals.await(List.of("all"), key -> current.frames.get() >= expected, STALL);
        double lastFrameSeconds = (current.lastFrame.get() - start) / 1e9;
        String cpuReport = cpu.report();
        List<Long> toStored = new ArrayList<>();
        List<Long> toPublished = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            if (current.messageIds[i] != null) {
                toStored.add(current.accepted[i] - current.scheduled[i]);
                Long at = published.at(current.messageIds[i]);
                if (at != null) {
                    toPublished.add(at - current.scheduled[i]);
                }
            }
        }
        Percentiles stored = Percentiles.of(toStored);
        Percentiles onKafka = Percentiles.of(toPublished);
        Percentiles toWebSocket = Percentiles.of(current.latencies());
        double delivered = current.frames.get() / lastFrameSeconds;
        if (publisher != null) {
            System.out.printf(Locale.ROOT, "at %,d msg/s for %d s (open loop, %,d messages to %,d groups of %d, published "
                            + "on chat.messages): published at most %.0f ms behind schedule, in %.1f s (%,.0f msg/s), %,d "
                            + "refused by the broker; %,d frames arrived of %,d, the last %.1f s after the first (%,.0f "
                            + "frames/s, %,.0f msg/s delivered)%n"
                            + "  scheduled -> on chat.messages p50 %.1f ms, p99 %.1f ms; -> WebSocket frame p50 %.1f ms, "
                            + "p99 %.1f ms, max %.1f ms%n  %s%n",
                    rate, seconds, total, groups.size(), groupSize, maxBehind / 1e6, sendSeconds, total / sendSeconds,
                    publisher.failed(), current.frames.get(), expected, lastFrameSeconds, delivered, delivered / groupSize,
                    onKafka.millis(50), onKafka.millis(99), toWebSocket.millis(50), toWebSocket.millis(99),
                    toWebSocket.maxMillis(), cpuReport);
            return delivered / groupSize;
        }
        System.out.printf(Locale.ROOT, "at %,d msg/s for %d s (open loop, %,d messages to %,d groups of %d): requests "
                        + "started at most %.0f ms behind schedule, all answered %.1f s after the first (%,.0f msg/s), "
                        + "%,d refused and %,d unanswered within 30 s (stored or not: their frames may arrive too); "
                        + "%,d frames arrived of %,d from the messages answered 201, the last %.1f s after the first "
                        + "send (%,.0f frames/s, "
                        + "%,.0f msg/s delivered)%n"
                        + "  request -> response (201, stored) p50 %.1f ms, p99 %.1f ms; -> on chat.messages p50 %.1f ms, "
                        + "p99 %.1f ms; -> WebSocket frame p50 %.1f ms, p99 %.1f ms, max %.1f ms%n  %s%n",
                rate, seconds, total, groups.size(), groupSize, maxBehind / 1e6, sendSeconds, total / sendSeconds,
                refused.get() - unanswered, unanswered, current.frames.get(), expected, lastFrameSeconds, delivered,
                delivered / groupSize,
                stored.millis(50), stored.millis(99), onKafka.millis(50), onKafka.millis(99), toWebSocket.millis(50),
                toWebSocket.millis(99), toWebSocket.maxMillis(), cpuReport);
        return delivered / groupSize;
    }

    private void onFrame(int user, boolean compressed, String text, long receivedNanos, int wireBytes) {
        Run current = run;
        int mark = current == null ? -1 : text.indexOf(current.mark);
        if (mark < 0 || !text.contains("\"message.created\"")) {
            return;   // not a message of the run in progress (a late one of an earlier run)
        }
        int from = mark + current.mark.length();
        int index = Integer.parseInt(text.substring(from, text.indexOf(':', from)));
        current.arrived(receivedNanos - current.scheduled[index], receivedNanos);
    }

    /** One measured run: per send its scheduled start, response time and message id; every frame's latency. */
    private static final class Run {
        private static final AtomicInteger RUNS = new AtomicInteger();
        /** Starts each message's text, with the run's number, so frames of an earlier run are told apart. */
        final String mark = MARK + RUNS.incrementAndGet() + "/";
        final long[] scheduled;
        final long[] accepted;
        final String[] messageIds;
        final AtomicLong frames = new AtomicLong();
        final AtomicLong lastFrame = new AtomicLong();
        private final List<Long> latencies = new ArrayList<>();

        Run(int sends) {
            scheduled = new long[sends];
            accepted = new long[sends];
            messageIds = new String[sends];
        }

        String text(int index) {
            return mark + index + TEXT;
        }

        synchronized void arrived(long latencyNanos, long at) {
            latencies.add(latencyNanos);
            frames.incrementAndGet();
            lastFrame.accumulateAndGet(at, Math::max);
        }

        synchronized List<Long> latencies() {
            return List.copyOf(latencies);
        }
    }
}
