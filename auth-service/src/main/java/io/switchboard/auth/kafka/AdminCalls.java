package io.switchboard.auth.kafka;

import org.apache.kafka.common.KafkaFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waiting for Kafka Admin API calls, with a failure told to the caller as {@link KafkaUnavailableException}. */
final class AdminCalls {

    private static final Logger log = LoggerFactory.getLogger(AdminCalls.class);
    private static final long TIMEOUT_SECONDS = 20;

    private AdminCalls() {
    }

    /** Waits for an Admin API call; a failure of type {@code harmless} counts as done. */
    static void await(String what, KafkaFuture<?> future, Class<? extends Throwable> harmless) {
        try {
            future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailableException("Interrupted while waiting to " + what);
        } catch (TimeoutException e) {
            throw new KafkaUnavailableException("Kafka did not answer within " + TIMEOUT_SECONDS + " s to " + what);
        } catch (ExecutionException e) {
            if (harmless != null && harmless.isInstance(e.getCause())) {
                return;
            }
            log.warn("Kafka refused to {}: {}", what, e.getCause().toString());
            throw new KafkaUnavailableException("Kafka refused to " + what + " (" + e.getCause().getClass().getSimpleName()
                    + ")");
        }
    }
}
