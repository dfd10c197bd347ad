package io.switchboard.chaos;

import java.time.Duration;
import java.util.List;

/**
 * How much load and which faults a chaos run has.
 *
 * @param users             end users, each with a WebSocket client that resumes after every drop
 * @param groupSize         members of each group conversation the users send messages in
 * @param messagesPerSecond messages sent over HTTP, open loop
 * @param eventsPerSecond   business events produced to Kafka by the Python producer, open loop
 * @param steady            load without a fault before the first one (the baseline row)
 * @param settle            load after a fault is healed before the next one starts
 * @param maxOutage         caps how long each fault lasts ({@link Fault#outage()}: a killed broker
 *                          30 s, the registry frozen 30 s, PostgreSQL stopped 20 s, a killed gateway 15 s)
 * @param faults            the faults, one after another
 */
record ChaosProfile(String name, int users, int groupSize, double messagesPerSecond, double eventsPerSecond,
                    Duration steady, Duration settle, Duration maxOutage, List<Fault> faults) {

    /**
     * Every fault the suite knows, at the load the issue asks for. Each fault settles 15 s after every
     * instance is ready again: the delayed items are delivered while the load still runs (the final
     * drain takes under a second), so a longer settle only lengthened the run.
     */
    static final ChaosProfile FULL = new ChaosProfile("full", 500, 5, 10, 10, Duration.ofSeconds(30),
            Duration.ofSeconds(15), Duration.ofSeconds(30), List.of(Fault.values()));

    /** Fewer users and shorter outages, one fault of each kind but the broker restarts: CI's profile. */
    static final ChaosProfile SHORT = new ChaosProfile("short", 100, 5, 5, 5, Duration.ofSeconds(15),
            Duration.ofSeconds(15), Duration.ofSeconds(10), List.of(Fault.EVERY_SERVICE_INSTANCE_KILLED,
            Fault.BROKER_KILLED, Fault.REGISTRY_PAUSED, Fault.POSTGRES_STOPPED, Fault.GATEWAY_KILLED));

    /** How long {@code fault} lasts in this profile. */
    Duration outageOf(Fault fault) {
        return fault.outage().compareTo(maxOutage) < 0 ? fault.outage() : maxOutage;
    }

    static ChaosProfile named(String name) {
        return switch (name) {
            case "full" -> FULL;
            case "short" -> SHORT;
            default -> throw new IllegalArgumentException("Unknown chaos profile '" + name + "': short or full");
        };
    }
}
