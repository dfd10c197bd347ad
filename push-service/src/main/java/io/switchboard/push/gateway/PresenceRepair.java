package io.switchboard.push.gateway;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.events.presence.PresenceState;
import io.switchboard.events.push.GatewayHeartbeat;
import io.switchboard.platform.BackgroundWorker;
import io.switchboard.push.PushProperties;
import io.switchboard.push.gateways.GatewayRun;
import io.switchboard.push.gateways.GatewaysView;
import io.switchboard.push.views.PresenceView;
import io.switchboard.schemas.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.support.SendResult;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Keeps {@code presence.changes} true to what the gateways really hold, on one worker thread:
 * <ul>
 *   <li><b>Lost updates.</b> Each gateway publishes a user's whole presence from its view, so two
 *       gateways that change the same user at once can each drop the other's change. Whenever the
 *       presence view applies a record that does not list exactly the sessions this gateway holds
 *       of that user, this gateway publishes the user again (if the view still disagrees by then).
 *       The same repairs a removal by another gateway that wrongly took this one for gone.</li>
 *   <li><b>A previous run.</b> Once the views have caught up after start-up, the sessions a
 *       previous run of this ordinal left (it crashed and holds none now) are removed.</li>
 *   <li><b>Gone gateways.</b> Every {@code gateway-heartbeat}, the live gateway with the lowest
 *       ordinal removes the sessions of gateways that are gone ({@link GatewaysView}). A crashed
 *       gateway's sessions leave presence within {@code gateway-expiry} plus one
 *       {@code gateway-heartbeat} of its last heartbeat read here, plus the time to write one
 *       record per user it held; if the lowest live gateway is the one that crashed, the next one
 *       finds itself lowest at that same moment. Removing is idempotent, so two gateways that
 *       briefly both think they are lowest do no harm.</li>
 * </ul>
 * Users are published in batches, waiting once per batch for the broker and then for the view to
 * show the records, so the next round does not publish them again.
 */
@Component
class PresenceRepair extends BackgroundWorker {

    private static final Logger log = LoggerFactory.getLogger(PresenceRepair.class);
    private static final int BATCH = 1_000;
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final PresenceView presence;
    private final GatewaysView gateways;
    private final PresencePublisher publisher;
    private final GatewayRun run;
    private final MeterRegistry meters;
    private final Duration sweepInterval;
    /** Users (presence keys) to check, in arrival order, each once. */
    private final Set<String> pending = new LinkedHashSet<>();
    /** Gateway runs (ordinal/instance) already counted as gone here. */
    private final Set<String> countedGone = new HashSet<>();
    private boolean previousRunChecked;

    PresenceRepair(PresenceView presence, GatewaysView gateways, PresencePublisher publisher, GatewayRun run,
                   MeterRegistry meters, PushProperties properties) {
        super("push-presence-repair");
        this.presence = presence;
        this.gateways = gateways;
        this.publisher = publisher;
        this.run = run;
        this.meters = meters;
        this.sweepInterval = properties.gatewayHeartbeat();
        presence.addListener((key, previous, current, partition, offset) -> {
            if (presence.isCaughtUp() && current != null && !publisher.listsWhatIsHeld(current)) {
                enqueue(List.of(key));
            }
        });
    }

    @Override
    protected void work() {
        long nextSweep = System.nanoTime();
        while (isRunning()) {
            try {
                if (System.nanoTime() - nextSweep >= 0 && presence.isCaughtUp() && gateways.isCaughtUp()) {
                    nextSweep = System.nanoTime() + sweepInterval.toNanos();
                    findStaleUsers();
                }
                publishOrRequeue(takeBatch(Math.min(sweepInterval.toMillis(), 200)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Publishes a batch; when the broker or the view does not follow, keeps it for the next round. */
    private void publishOrRequeue(List<String> batch) throws InterruptedException {
        if (batch.isEmpty()) {
            return;
        }
        try {
            publish(batch);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            log.warn("Could not correct the presence of {} users, trying again in {}: {}", batch.size(), sweepInterval,
                    e.toString());
            enqueue(batch);
            Thread.sleep(sweepInterval);
        }
    }

    private void findStaleUsers() {
        if (!previousRunChecked) {
            previousRunChecked = true;
            enqueue(keys(presence.usersOn(run.gateway())));
        }
        if (!isLowestLiveGateway()) {
            return;
        }
        for (int gone : goneGatewaysWithSessions()) {
            String goneRun = gone + "/" + gateways.heartbeat(gone).map(GatewayHeartbeat::getInstanceId).orElse("");
            if (countedGone.add(goneRun)) {
                meters.counter("switchboard.push.gateways.gone").increment();
                log.warn("Gateway {} is gone (no heartbeat for its expiry); removing its sessions from presence", gone);
            }
            enqueue(keys(presence.usersOn(gone)));
        }
    }

    private Set<Integer> goneGatewaysWithSessions() {
        return presence.gatewaysWithSessions().stream()
                .filter(gateway -> gateway != run.gateway() && gateways.isGone(gateway))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private boolean isLowestLiveGateway() {
        return gateways.values().stream().map(GatewayHeartbeat::getGateway)
                .filter(g -> g < run.gateway())
                .allMatch(gateways::isGone);
    }

    private void publish(List<String> keys) throws Exception {
        List<CompletableFuture<SendResult<String, Object>>> sends = new ArrayList<>();
        for (String key : keys) {
            presence.get(key).flatMap(state -> publisher.publishIfStale(state.getAppId(), state.getUserId()))
                    .ifPresent(sends::add);
        }
        if (sends.isEmpty()) {
            return;
        }
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(SEND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        meters.counter("switchboard.push.presence.republished").increment(sends.size());
        presence.awaitCurrentEnd(SEND_TIMEOUT);
    }

    private synchronized void enqueue(List<String> keys) {
        if (pending.addAll(keys)) {
            notifyAll();
        }
    }

    private synchronized List<String> takeBatch(long waitMillis) throws InterruptedException {
        if (pending.isEmpty()) {
            wait(waitMillis);
        }
        List<String> batch = new ArrayList<>(Math.min(pending.size(), BATCH));
        Iterator<String> it = pending.iterator();
        while (it.hasNext() && batch.size() < BATCH) {
            batch.add(it.next());
            it.remove();
        }
        return batch;
    }

    private static List<String> keys(List<PresenceState> states) {
        return states.stream().map(s -> Topics.presenceKey(s.getAppId(), s.getUserId())).toList();
    }
}
