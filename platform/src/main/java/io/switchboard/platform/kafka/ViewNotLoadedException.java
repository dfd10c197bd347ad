package io.switchboard.platform.kafka;

/**
 * A consumer needs a view that has not yet applied what its topic held when the view started (a
 * service just started): deciding now would act on missing state, e.g. take every member for
 * offline. An outage, not bad input: the poll is retried with backoff and never dead-lettered.
 */
public class ViewNotLoadedException extends RuntimeException {

    public ViewNotLoadedException(String view) {
        super("The " + view + " view has not loaded its topic yet");
    }
}
