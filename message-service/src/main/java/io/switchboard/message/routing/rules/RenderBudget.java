package io.switchboard.message.routing.rules;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;

/**
 * What rendering may cost for one event: every template its rules render for it (each locale
 * variant, card parts, throttle and digest keys) draws on one budget. Templates are written by
 * apps and rendered on the shared routing consumers, and logic-less Mustache still multiplies:
 * sections nested {@code k} deep over a list of {@code n} items render {@code n^k} times. The
 * budget caps what a render produces and loops, and how long it runs, so a template that would
 * explode fails within milliseconds ({@link ExceededException}) and its event is dead-lettered as
 * {@code template-budget-exceeded} instead of holding a consumer.
 *
 * <p>Not thread-safe: one render at a time, on one thread.
 */
public final class RenderBudget {

    /** Section iterations (list items visited) per event. */
    public static final int MAX_ITERATIONS = 10_000;
    /** Characters rendered per event, every template together. */
    public static final int MAX_OUTPUT_CHARS = 256 * 1024;
    /**
     * Time spent rendering per event: the thread's CPU time where the JVM measures it (platform
     * threads), elapsed time on virtual threads, where it does not.
     */
    public static final Duration MAX_TIME = Duration.ofMillis(100);

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** The clock is read every this many charges: often enough to stop within the deadline, cheap otherwise. */
    private static final int CLOCK_EVERY = 64;

    private final int maxIterations;
    private final long maxOutputChars;
    private final long maxTimeNanos;
    private int iterations;
    private long outputChars;
    private int charges;
    private long startedCpu = -2;
    private long startedWall;
    private long spentNanos;

    private RenderBudget(int maxIterations, long maxOutputChars, Duration maxTime) {
        this.maxIterations = maxIterations;
        this.maxOutputChars = maxOutputChars;
        this.maxTimeNanos = maxTime.toNanos();
    }

    /** The budget of one event's rendering. */
    public static RenderBudget perEvent() {
        return new RenderBudget(MAX_ITERATIONS, MAX_OUTPUT_CHARS, MAX_TIME);
    }

    /** A budget with other limits, for tests of the limits themselves. */
    static RenderBudget of(int maxIterations, long maxOutputChars, Duration maxTime) {
        return new RenderBudget(maxIterations, maxOutputChars, maxTime);
    }

    /** Thrown when rendering would exceed its budget; the message says which limit. */
    public static final class ExceededException extends RuntimeException {
        ExceededException(String message) {
            super(message, null, false, false);
        }
    }

    /** Time is measured only while rendering: the budget does not run down between an event's templates. */
    void start() {
        startedCpu = THREADS.getCurrentThreadCpuTime();
        startedWall = System.nanoTime();
    }

    void stop() {
        spentNanos += elapsedSinceStart();
        startedCpu = -2;
    }

    void iterate() {
        if (++iterations > maxIterations) {
            throw new ExceededException("the templates loop over more than " + maxIterations
                    + " list items for one event (nested sections multiply)");
        }
        tick();
    }

    void write(int chars) {
        outputChars += chars;
        if (outputChars > maxOutputChars) {
            throw new ExceededException("the templates render more than " + maxOutputChars + " characters for one event");
        }
        tick();
    }

    private void tick() {
        if (++charges % CLOCK_EVERY == 0 && spentNanos + elapsedSinceStart() > maxTimeNanos) {
            throw new ExceededException("rendering took more than " + Duration.ofNanos(maxTimeNanos).toMillis()
                    + " ms for one event");
        }
    }

    private long elapsedSinceStart() {
        if (startedCpu == -2) {
            return 0;
        }
        if (startedCpu >= 0) {
            long cpu = THREADS.getCurrentThreadCpuTime();
            if (cpu >= 0) {
                return cpu - startedCpu;
            }
        }
        return System.nanoTime() - startedWall;
    }
}
