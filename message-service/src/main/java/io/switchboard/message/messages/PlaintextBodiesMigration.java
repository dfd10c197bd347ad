package io.switchboard.message.messages;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * Encrypts the text of messages stored before bodies were encrypted, once, when the service
 * starts; afterwards no message text is left in plain text in the database.
 */
@Component
class PlaintextBodiesMigration {

    private static final Logger log = LoggerFactory.getLogger(PlaintextBodiesMigration.class);
    private static final int BATCH = 500;

    private final MessageStore store;

    PlaintextBodiesMigration(MessageStore store) {
        this.store = store;
    }

    @EventListener(ApplicationReadyEvent.class)
    void encryptRemainingPlaintext() {
        int total = 0;
        List<MessageStore.PlaintextRow> batch;
        while (!(batch = store.plaintextRows(BATCH)).isEmpty()) {
            batch.forEach(store::encryptPlaintext);
            total += batch.size();
        }
        if (total > 0) {
            log.info("Encrypted the bodies of {} messages stored in plain text", total);
        }
    }
}
