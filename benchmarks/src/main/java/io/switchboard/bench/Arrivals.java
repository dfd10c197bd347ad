package io.switchboard.bench;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;

/** Waiting for asynchronous effects of a load phase, for as long as they keep coming. */
final class Arrivals {

    private Arrivals() {
    }

    /**
     * Waits until every key has arrived, or until none arrived for {@code stall}: a backlog that
     * drains slowly is waited for, a lost one is not waited for forever.
     *
     * @return how many of the keys arrived
     */
    static int await(Collection<String> keys, Predicate<String> arrived, Duration stall) throws InterruptedException {
        Set<String> pending = new HashSet<>(keys);
        long lastProgress = System.nanoTime();
        while (!pending.isEmpty()) {
            if (pending.removeIf(arrived)) {
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > stall.toNanos()) {
                break;
            }
            Thread.sleep(50);
        }
        return keys.size() - pending.size();
    }
}
