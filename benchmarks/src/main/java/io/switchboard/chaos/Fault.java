package io.switchboard.chaos;

import io.switchboard.stack.KafkaCluster;
import io.switchboard.stack.StackService;

import java.time.Duration;
import java.util.List;

/**
 * The faults of a chaos run. Each one is injected, lasts its outage, and is healed the way an
 * operator or Kubernetes would (a killed process is started again on its data); {@link #inject}
 * returns once every part is back and every instance is ready again.
 */
enum Fault {

    EVERY_SERVICE_INSTANCE_KILLED("kill -9 of every service instance", Duration.ZERO) {
        @Override
        void run(ChaosStack stack, Duration outage, Timeline timeline) {
            timeline.injected();
            stack.instances().forEach(stack::kill);
            stack.startAndAwait(stack.instances());
        }
    },
    BROKER_KILLED("kill -9 of one broker (not the controller)", Duration.ofSeconds(30)) {
        @Override
        void run(ChaosStack stack, Duration outage, Timeline timeline) {
            KafkaCluster kafka = stack.kafka();
            int controller = kafka.activeController();
            int broker = kafka.nodeIds().stream().filter(id -> id != controller).findFirst().orElseThrow();
            killAndRestartBroker(kafka, broker, outage, timeline);
        }
    },
    CONTROLLER_KILLED("kill -9 of the active controller", Duration.ofSeconds(30)) {
        @Override
        void run(ChaosStack stack, Duration outage, Timeline timeline) {
            KafkaCluster kafka = stack.kafka();
            killAndRestartBroker(kafka, kafka.activeController(), outage, timeline);
        }
    },
    ROLLING_BROKER_RESTART("rolling restart of every broker", Duration.ZERO) {
        @Override
        void run(ChaosStack stack, Duration outage, Timeline timeline) {
            KafkaCluster kafka = stack.kafka();
            timeline.injected();
            for (int node : kafka.nodeIds()) {
                kafka.stop(node);
                kafka.restart(node);
                kafka.awaitFullyReplicated(REPLICATION_TIMEOUT);
            }
        }
    },
    REGISTRY_PAUSED("registry paused (SIGSTOP)", Duration.ofSeconds(30)) {
        @Override
        void run(ChaosStack stack, Duration outage, Timeline timeline) {
            timeline.injected();
            stack.registry().process().signal("STOP");
            sleep(outage);
            stack.registry().process().signal("CONT");
        }
    },
    POSTGRES_STOPPED("PostgreSQL stopped", Duration.ofSeconds(20)) {
        @Override
        void run(ChaosStack stack, Duration outage, Timeline timeline) {
            timeline.injected();
            stack.postgres().stop();
            sleep(outage);
            stack.postgres().start();
        }
    },
    GATEWAY_KILLED("kill -9 of one push gateway holding sessions", Duration.ofSeconds(15)) {
        @Override
        void run(ChaosStack stack, Duration outage, Timeline timeline) {
            ChaosStack.Instance gateway = stack.instances(StackService.PUSH).getFirst();
            timeline.injected();
            stack.kill(gateway);
            sleep(outage);
            stack.startAndAwait(List.of(gateway));
        }
    };

    private static final Duration REPLICATION_TIMEOUT = Duration.ofMinutes(3);

    /** When a fault was injected (epoch milliseconds), set by the fault as it runs. */
    static final class Timeline {
        volatile long injectedAt;

        void injected() {
            injectedAt = System.currentTimeMillis();
        }
    }

    private final String description;
    private final Duration outage;

    Fault(String description, Duration outage) {
        this.description = description;
        this.outage = outage;
    }

    String description() {
        return description;
    }

    /** How long the fault lasts at most (a profile may shorten it); zero for a kill whose healing is the restart. */
    Duration outage() {
        return outage;
    }

    abstract void run(ChaosStack stack, Duration outage, Timeline timeline);

    private static void killAndRestartBroker(KafkaCluster kafka, int node, Duration outage, Timeline timeline) {
        timeline.injected();
        kafka.kill(node);
        sleep(outage);
        kafka.restart(node);
        kafka.awaitFullyReplicated(REPLICATION_TIMEOUT);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
