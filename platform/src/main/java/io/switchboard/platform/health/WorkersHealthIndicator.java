package io.switchboard.platform.health;

import io.switchboard.platform.BackgroundWorker;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Whether the service's own threads still run ({@code workers}, in readiness and liveness): every
 * {@link BackgroundWorker} (views, outbox relays, dispatchers...) and every Kafka listener
 * container. A loop that died of an uncaught throwable, or a container that stopped although it
 * should run (its consumer thread died of an error), does not come back by itself, and the service
 * looks alive while it consumes or publishes nothing. DOWN names each one and why.
 */
public class WorkersHealthIndicator implements HealthIndicator {

    private final List<BackgroundWorker> workers;
    private final KafkaListenerEndpointRegistry listeners;

    /** @param listeners the service's Kafka listener containers; null for a service without any */
    public WorkersHealthIndicator(List<BackgroundWorker> workers, KafkaListenerEndpointRegistry listeners) {
        this.workers = workers;
        this.listeners = listeners;
    }

    @Override
    public Health health() {
        Map<String, String> failed = new TreeMap<>();
        for (BackgroundWorker worker : workers) {
            worker.failure().ifPresent(failure -> failed.put(worker.threadName(), "died of " + describe(failure)));
        }
        if (listeners != null) {
            for (MessageListenerContainer container : listeners.getListenerContainers()) {
                if (!container.isInExpectedState()) {
                    failed.put(container.getListenerId(), "stopped although it should run");
                }
            }
        }
        int count = workers.size() + (listeners == null ? 0 : listeners.getListenerContainers().size());
        return (failed.isEmpty() ? Health.up() : Health.down().withDetails(Map.copyOf(failed)))
                .withDetail("threads", count).build();
    }

    /** The throwable's class and message: what a log line holds, never a stack trace. */
    private static String describe(Throwable failure) {
        return failure.getClass().getName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
    }
}
