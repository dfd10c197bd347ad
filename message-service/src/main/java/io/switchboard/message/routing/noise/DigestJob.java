package io.switchboard.message.routing.noise;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Instant;

/** Sends due digests every second (configurable); a failure is retried on the next run. */
@Component
class DigestJob {

    private static final Logger log = LoggerFactory.getLogger(DigestJob.class);
    private static final int BATCH = 200;

    private final Digests digests;

    DigestJob(Digests digests) {
        this.digests = digests;
    }

    @Scheduled(fixedDelayString = "${switchboard.routing.digest-poll-interval:PT1S}", initialDelayString = "PT5S")
    void sendDue() {
        try {
            while (digests.sendDue(Instant.now(), BATCH) == BATCH) {
                log.debug("More digests are due");
            }
        } catch (RuntimeException e) {
            log.warn("Sending due digests failed; retrying on the next run: {}", e.toString());
        }
    }
}
