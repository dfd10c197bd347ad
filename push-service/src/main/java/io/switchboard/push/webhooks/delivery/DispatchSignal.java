package io.switchboard.push.webhooks.delivery;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** Wakes the dispatcher when there may be work: a delivery was recorded, an attempt finished. */
@Component
class DispatchSignal {

    private final Semaphore signal = new Semaphore(0);

    /** Wakes it now, or once the current transaction has committed (what it recorded is visible then). */
    void wake() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    release();
                }
            });
        } else {
            release();
        }
    }

    /** Waits until woken or {@code timeout} passed. */
    void await(Duration timeout) throws InterruptedException {
        if (signal.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            signal.drainPermits();
        }
    }

    private void release() {
        if (signal.availablePermits() == 0) {
            signal.release();
        }
    }
}
