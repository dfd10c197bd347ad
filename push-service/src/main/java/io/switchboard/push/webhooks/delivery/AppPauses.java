package io.switchboard.push.webhooks.delivery;

import io.switchboard.events.auth.AppState;
import io.switchboard.events.auth.AppStatus;
import io.switchboard.platform.BackgroundWorker;
import io.switchboard.platform.apps.AppStateView;
import io.switchboard.push.webhooks.endpoints.EndpointHealthStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Pauses the webhooks of apps that auth-service suspended or deleted ({@code auth.apps}, through
 * the service's {@link AppStateView}), in {@link PausedApps} where every instance's dispatcher
 * sees it:
 * <ul>
 *   <li><b>suspended</b>: none of the app's deliveries is attempted - no request, no attempt
 *   counted, no breaker or failure clock running. Events that happen meanwhile are still recorded
 *   (nothing is lost); when the app is active again everything pending is delivered, and the
 *   failure clock of its endpoints ({@code failing_since}, which disables an endpoint after
 *   {@code disable-after}) moves on by the pause.</li>
 *   <li><b>deleted</b>: for good. Its pending deliveries are dead-lettered ({@code app-deleted}) and
 *   purged after {@code retention} like every dead letter; the dispatcher's sweep dead-letters any
 *   event of the app recorded later.</li>
 * </ul>
 * An attempt already in flight when the pause begins is finished and counted.
 *
 * <p>The view's listener only notes the app's latest state; this worker writes it to the database,
 * so a slow or unavailable database never holds up the view (which every request's token check
 * reads). A change that cannot be written is tried again a second later; a newer change of the same
 * app replaces it. Every instance writes every change; the same change written twice changes
 * nothing, and the version check of {@link PausedApps} keeps an instance that replays the topic
 * from resuming an app a newer state paused.
 */
@Component
class AppPauses extends BackgroundWorker {

    private static final Logger log = LoggerFactory.getLogger(AppPauses.class);
    private static final Duration RETRY_INTERVAL = Duration.ofSeconds(1);

    private final PausedApps paused;
    private final EndpointHealthStore health;
    private final DeliveryQueue queue;
    private final DispatchSignal dispatch;
    private final TransactionTemplate transactions;
    /** The latest state of each app not written yet; empty for a deleted app. */
    private final Map<String, Optional<AppState>> unwritten = new ConcurrentHashMap<>();
    private final Semaphore changed = new Semaphore(0);

    AppPauses(AppStateView apps, PausedApps paused, EndpointHealthStore health, DeliveryQueue queue,
              DispatchSignal dispatch, PlatformTransactionManager transactions) {
        super("webhook-app-pauses");
        this.paused = paused;
        this.health = health;
        this.queue = queue;
        this.dispatch = dispatch;
        this.transactions = new TransactionTemplate(transactions);
        apps.addListener((appId, previous, current, partition, offset) -> {
            unwritten.put(appId, Optional.ofNullable(current));
            changed.release();
        });
    }

    @Override
    protected void work() {
        while (isRunning()) {
            try {
                if (changed.tryAcquire(RETRY_INTERVAL.toMillis(), TimeUnit.MILLISECONDS)) {
                    changed.drainPermits();
                }
            } catch (InterruptedException e) {
                return;
            }
            writeChanges();
        }
    }

    private void writeChanges() {
        for (String appId : List.copyOf(unwritten.keySet())) {
            Optional<AppState> state = unwritten.remove(appId);
            if (state == null) {
                continue;
            }
            try {
                transactions.executeWithoutResult(tx -> write(appId, state.orElse(null)));
            } catch (RuntimeException e) {
                unwritten.putIfAbsent(appId, state);   // unless a newer state arrived meanwhile
                log.warn("Could not pause or resume the webhooks of app {}; trying again: {}", appId, e.toString());
                return;
            }
        }
    }

    private void write(String appId, AppState state) {
        Instant now = Instant.now();
        if (state == null) {
            paused.pause(appId, PausedApps.DELETED, Long.MAX_VALUE, now);
            int dropped = queue.failPendingOfApp(appId, Settlement.APP_DELETED, now);
            if (dropped > 0) {
                log.info("App {} was deleted: {} pending webhook deliveries dead-lettered", appId, dropped);
            }
        } else if (state.getStatus() == AppStatus.SUSPENDED) {
            if (paused.pause(appId, PausedApps.SUSPENDED, state.getVersion(), now)) {
                log.info("App {} is suspended: its webhook deliveries are paused", appId);
            }
        } else {
            paused.resume(appId, state.getVersion()).ifPresent(since -> {
                health.shiftFailingClocks(appId, since, now);
                dispatch.wake();
                log.info("App {} is active again: its webhook deliveries resume after a pause of {}", appId,
                        Duration.between(since, now));
            });
        }
    }
}
