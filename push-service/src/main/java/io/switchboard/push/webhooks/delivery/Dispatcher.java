package io.switchboard.push.webhooks.delivery;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.switchboard.platform.BackgroundWorker;
import io.switchboard.push.webhooks.WebhookCipher;
import io.switchboard.push.webhooks.WebhookProperties;
import io.switchboard.push.webhooks.destinations.DestinationPolicy;
import io.switchboard.push.webhooks.endpoints.Endpoint;
import io.switchboard.push.webhooks.endpoints.EndpointDisabled;
import io.switchboard.push.webhooks.endpoints.EndpointSecrets;
import io.switchboard.push.webhooks.endpoints.EndpointStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Delivers the queue: claims due deliveries, and runs each attempt on a virtual thread of its own,
 * within its endpoint's bulkhead and circuit breaker ({@link EndpointGuards}). The loop itself
 * never waits for an endpoint: a slow, hanging or dead endpoint holds at most its own bulkhead's
 * turns, and its deliveries are not even claimed while its turns are taken or its breaker is open,
 * so other endpoints and other apps go on at their own pace.
 *
 * <p>At least once: a delivery is marked delivered only after its endpoint answered 2xx, and a
 * claim lapses if this instance dies mid-attempt, so another attempt follows (same delivery id,
 * next attempt number). Order: deliveries of an endpoint are claimed oldest due first, but up to
 * {@code max-concurrent-per-endpoint} attempts run at once and a failed one is retried later while
 * later ones go ahead: receivers must not rely on arrival order (events carry {@code occurredAt},
 * messages their {@code seq}/{@code changeSeq}, members {@code conversationVersion}).
 *
 * <p>Deliveries of apps that are suspended are not claimed ({@link AppPauses}), nor those of an
 * endpoint whose circuit is open on any instance (its health, shared in PostgreSQL).
 *
 * <p>Stopping (or a restart) abandons attempts in flight without counting them: their deliveries
 * are due again at once. Breakers and bulkheads are per instance and start closed and empty: each
 * instance judges an endpoint by its own attempts; when one instance's breaker opens, it holds
 * every instance off for {@code open-for}, after which each instance decides by its own breaker
 * (one trial where it is half-open, up to its bulkhead where it had not seen the failures).
 */
@Component
class Dispatcher extends BackgroundWorker {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    private static final Duration PURGE_INTERVAL = Duration.ofMinutes(10);
    private static final int SETTLE_BATCH = 500;
    /**
     * How often deliveries recorded while their endpoint was being disabled, or after their app was
     * deleted, are dead-lettered too (recording does not lock endpoints, so one can slip in after the
     * endpoint settled the others; an event of a deleted app may still be on its way).
     */
    private static final Duration STRAGGLER_SWEEP_INTERVAL = Duration.ofSeconds(5);

    private final DeliveryQueue queue;
    private final EndpointStore endpoints;
    private final EndpointSecrets secrets;
    private final Settlement settlement;
    private final WebhookCipher cipher;
    private final DispatchSignal signal;
    private final List<DeliveryResponses> responses;
    private final TransactionTemplate transactions;
    private final WebhookProperties properties;
    private final DestinationPolicy destinations;
    private final MeterRegistry meters;
    private final Timer attemptDuration;

    private volatile EndpointGuards guards;
    private volatile Courier courier;
    private volatile ExecutorService attempts;
    /** Attempts that have run, settled in batches by the settler thread. */
    private final BlockingQueue<Finished> finished = new LinkedBlockingQueue<>();
    private volatile Thread settler;
    private Instant nextPurge = Instant.now();
    private Instant nextSweep = Instant.now();

    Dispatcher(DeliveryQueue queue, EndpointStore endpoints, EndpointSecrets secrets, Settlement settlement,
               WebhookCipher cipher, DispatchSignal signal, List<DeliveryResponses> responses,
               PlatformTransactionManager transactions, WebhookProperties properties, DestinationPolicy destinations,
               MeterRegistry meters) {
        super("webhook-dispatcher");
        this.queue = queue;
        this.endpoints = endpoints;
        this.secrets = secrets;
        this.settlement = settlement;
        this.cipher = cipher;
        this.signal = signal;
        this.responses = responses;
        this.transactions = new TransactionTemplate(transactions);
        this.properties = properties;
        this.destinations = destinations;
        this.meters = meters;
        this.attemptDuration = Timer.builder("switchboard.webhooks.attempt.duration")
                .description("One attempt: from sending to the endpoint's answer, or to the failure")
                .publishPercentileHistogram().register(meters);
    }

    @Override
    public void start() {
        guards = new EndpointGuards(properties, meters);
        courier = new Courier(properties, destinations);
        attempts = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("webhook-attempt-", 0).factory());
        super.start();
        settler = Thread.ofPlatform().name("webhook-settler").daemon().start(this::settleFinished);
    }

    @Override
    public void stop() {
        super.stop();
        courier.close();   // aborts attempts in flight: they give their claims back
        attempts.shutdown();
        try {
            attempts.awaitTermination(properties.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
            settler.join(Duration.ofSeconds(10));   // it settles what has finished, then ends
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    protected void work() {
        while (isRunning()) {
            try {
                int started = dispatchDue();
                housekeepWhenDue();
                if (started == 0) {
                    signal.await(properties.pollInterval());
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("Webhook dispatch failed, retrying: {}", e.toString());
                try {
                    signal.await(properties.pollInterval());
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    /** Claims what is due and may be attempted now, and starts the attempts; returns how many. */
    private int dispatchDue() {
        Instant now = Instant.now();
        List<Permitted> permitted = new ArrayList<>();
        try {
            transactions.executeWithoutResult(tx -> claim(now, permitted));
        } catch (RuntimeException e) {
            permitted.forEach(Permitted::giveBack);
            throw e;
        }
        if (permitted.isEmpty()) {
            return 0;
        }
        int next = 0;
        try {
            Set<String> endpointIds = permitted.stream().map(p -> p.due().endpointId()).collect(Collectors.toSet());
            Map<String, Endpoint> byId = endpoints.findAll(endpointIds).stream()
                    .collect(Collectors.toMap(Endpoint::endpointId, Function.identity()));
            Map<String, List<String>> signing = secrets.signingSecrets(endpointIds, now);
            for (; next < permitted.size(); next++) {
                Permitted p = permitted.get(next);
                Endpoint endpoint = byId.get(p.due().endpointId());
                if (endpoint == null) {   // deleted since: its deliveries went with it
                    p.giveBack();
                    continue;
                }
                DeliveryQueue.Due due = p.due();
                byte[] body = bodyOrDeadLetter(due, now);
                if (body == null) {
                    p.giveBack();
                    continue;
                }
                ClaimedDelivery claimed = new ClaimedDelivery(due.deliveryId(), due.appId(), due.endpointId(), due.eventId(),
                        due.eventType(), body, due.attempts() + 1, due.attemptLimit(), due.createdAt(),
                        endpoint.url(), signing.getOrDefault(endpoint.endpointId(), List.of()));
                attempts.execute(() -> attempt(claimed, p));
            }
        } finally {
            // the database failed after the claim, or a body could not be decrypted: without their
            // permits back the endpoints' bulkheads would stay full for good (the claims lapse)
            permitted.subList(next, permitted.size()).forEach(Permitted::giveBack);
        }
        return permitted.size();
    }

    /**
     * The delivery's body, or null when it cannot be decrypted with the configured keyset (a key
     * removed too early): such a delivery is dead-lettered ({@code payload-undecryptable}) rather than
     * claimed again every lease, and can be replayed once the key is back.
     */
    private byte[] bodyOrDeadLetter(DeliveryQueue.Due due, Instant now) {
        try {
            return due.body(cipher);
        } catch (IllegalStateException e) {
            log.error("Webhook delivery {} of endpoint {} cannot be decrypted with the configured keyset; dead-lettered as {}",
                    due.deliveryId(), due.endpointId(), Settlement.PAYLOAD_UNDECRYPTABLE);
            queue.deadLetter(due.deliveryId(), Settlement.PAYLOAD_UNDECRYPTABLE, now);
            return null;
        }
    }

    /**
     * Locks due deliveries, endpoint by endpoint (the longest waiting first), each up to the turns
     * its bulkhead has free, and takes those its breaker permits; claims them all at once. Endpoints
     * held off (their turns taken, breaker open here or anywhere, app paused) are not even read.
     */
    private void claim(Instant now, List<Permitted> permitted) {
        int batch = properties.claimBatch();
        for (String endpointId : queue.dueEndpoints(now, guards.blocked(), batch)) {
            // only this thread takes turns, so the endpoint has at least one free since blocked() looked
            int room = Math.min(guards.available(endpointId), batch - permitted.size());
            Bulkhead bulkhead = guards.bulkhead(endpointId);
            CircuitBreaker breaker = guards.breaker(endpointId);
            List<DeliveryQueue.Due> due = queue.lockDue(endpointId, now, room);
            for (DeliveryQueue.Due delivery : due) {
                if (!bulkhead.tryAcquirePermission()) {
                    break;
                }
                if (!breaker.tryAcquirePermission()) {   // half-open: one trial at a time
                    bulkhead.onComplete();
                    meters.counter("switchboard.webhooks.deferred", "reason", "circuit-open").increment();
                    break;
                }
                permitted.add(new Permitted(delivery, bulkhead, breaker));
            }
            if (due.size() == room && bulkhead.getMetrics().getAvailableConcurrentCalls() == 0) {
                // more of its deliveries may be due: they wait for a turn
                meters.counter("switchboard.webhooks.deferred", "reason", "bulkhead-full").increment();
            }
            if (permitted.size() >= batch) {
                break;
            }
        }
        queue.claim(permitted.stream().map(p -> p.due().deliveryId()).toList(), now.plus(properties.claimLease()));
    }

    private void attempt(ClaimedDelivery delivery, Permitted permit) {
        Instant startedAt = Instant.now();
        AttemptResult result;
        try {
            result = courier.send(delivery.url(), delivery.deliveryId(), delivery.attempt(), delivery.eventType(),
                    delivery.body(), delivery.secrets());
        } finally {
            permit.bulkhead().onComplete();
        }
        if (!isRunning() && !result.succeeded()) {
            permit.breaker().releasePermission();
            queue.release(delivery.deliveryId(), Instant.now());   // cut off by the shutdown, not the endpoint's fault
            return;
        }
        boolean openedCircuit = false;
        if (result.succeeded()) {
            guards.recordSuccess(delivery.endpointId(), result.duration());
        } else {
            openedCircuit = guards.recordFailure(delivery.endpointId(), result.duration(), result.outcome().wireName());
        }
        meters.counter("switchboard.webhooks.attempts", "outcome", result.outcome().wireName()).increment();
        attemptDuration.record(result.duration());
        finished.add(new Finished(delivery, startedAt, result, openedCircuit));
        signal.wake();   // its bulkhead turn is free: the next delivery of the endpoint may go
    }

    /**
     * The settler: settles finished attempts a batch at a time (whatever finished meanwhile, up to
     * 500), so deliveries do not wait for one commit each. A batch that cannot be settled (the
     * database failed) is attempted again when its claims lapse: at least once, never lost.
     */
    private void settleFinished() {
        List<Finished> batch = new ArrayList<>();
        while (isRunning() || !finished.isEmpty()) {
            try {
                Finished first = finished.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                finished.drainTo(batch, SETTLE_BATCH - 1);
                settle(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void settle(List<Finished> batch) {
        try {
            settlement.settleAll(batch).forEach(guards::forget);
        } catch (RuntimeException e) {
            log.warn("Could not settle {} webhook attempts; their deliveries are attempted again when their claims lapse: {}",
                    batch.size(), e.toString());
            return;
        } finally {
            signal.wake();
        }
        for (Finished attempt : batch) {
            byte[] response = attempt.result().responseBody();
            if (attempt.result().succeeded() && response != null && response.length > 0) {
                // on a thread of its own: a handler may wait (for Kafka), the settler must not
                Thread.ofVirtual().name("webhook-answer").start(() -> answered(attempt.delivery(), response));
            }
        }
    }

    private void answered(ClaimedDelivery delivery, byte[] response) {
        for (DeliveryResponses handler : responses) {
            if (handler.handles(delivery.eventType())) {
                handler.answered(delivery.appId(), delivery.endpointId(), delivery.body(), response);
            }
        }
    }

    private void housekeepWhenDue() {
        Instant now = Instant.now();
        if (!now.isBefore(nextSweep)) {
            nextSweep = now.plus(STRAGGLER_SWEEP_INTERVAL);
            queue.failPendingOfDisabledSince(now.minus(STRAGGLER_SWEEP_INTERVAL.multipliedBy(12)), now);
            queue.failPendingOfDeletedApps(now);
        }
        if (now.isBefore(nextPurge)) {
            return;
        }
        nextPurge = now.plus(PURGE_INTERVAL);
        int purged = queue.purgeCompletedBefore(now.minus(properties.retention()));
        if (purged > 0) {
            log.info("Purged {} webhook deliveries completed more than {} ago", purged, properties.retention());
        }
    }

    /** An endpoint the app disabled or deleted: forget its guards (its pending deliveries are settled by the listener below). */
    @EventListener
    void onEndpointDisabled(EndpointDisabled disabled) {
        if (!disabled.deleted()) {
            queue.failPending(disabled.endpointId(), Settlement.ENDPOINT_DISABLED, Instant.now());
        }
        EndpointGuards current = guards;
        if (current != null) {
            current.forget(disabled.endpointId());
        }
    }

    /** A claimed delivery with its permits, given back when no attempt is made. */
    private record Permitted(DeliveryQueue.Due due, Bulkhead bulkhead, CircuitBreaker breaker) {
        void giveBack() {
            bulkhead.onComplete();
            breaker.releasePermission();
        }
    }
}
