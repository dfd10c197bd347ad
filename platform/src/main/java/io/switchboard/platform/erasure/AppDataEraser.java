package io.switchboard.platform.erasure;

import org.springframework.transaction.support.TransactionTemplate;

import java.util.Map;
import java.util.function.IntSupplier;

/**
 * A service's own step of erasing a deleted app, run before the app's rows are deleted from every
 * table: what a plain delete would miss, such as tombstones for what the service published about
 * the app on compacted topics. An erasure interrupted by a crash runs again from the start, so a
 * step must be safe to repeat.
 */
public interface AppDataEraser {

    /**
     * Erases what this step covers.
     *
     * @return what it removed, by kind (e.g. {@code conversations=12}), for the erasure's audit record
     */
    Map<String, Long> erase(String appId);

    /**
     * Runs {@code batch} in a transaction of its own until it finds nothing left to erase, so no
     * transaction grows with the size of the app.
     *
     * @param batch erases some of what is left; returns how many it erased
     * @return how many were erased in all
     */
    static long inBatches(TransactionTemplate transactions, IntSupplier batch) {
        long erased = 0;
        while (true) {
            Integer count = transactions.execute(tx -> batch.getAsInt());
            if (count == null || count == 0) {
                return erased;
            }
            erased += count;
        }
    }
}
