package io.switchboard.platform.outbox;

import io.switchboard.platform.kafka.RegistryTrouble;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Why an outbox row could not be sent, when the row itself is the cause: sending it again can
 * never work, so it is counted towards the dead letters. Everything else (the broker unreachable
 * or refusing for now, the schema registry down, a timeout) is the infrastructure's trouble and
 * is retried without limit.
 */
final class OutboxFailures {

    private OutboxFailures() {
    }

    /** The stable reason the row itself cannot be sent, or null when the failure is transient. */
    static String reasonOfRow(Throwable failure) {
        if (RegistryTrouble.within(failure)) {
            return null;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof RecordTooLargeException || cause instanceof RecordBatchTooLargeException) {
                return "record-too-large";
            }
            if (cause instanceof AvroBinary.UndecodableException) {
                return "undecodable";
            }
            if (cause instanceof InvalidRecordException) {
                return "invalid-record";
            }
            if (cause instanceof SerializationException) {
                return "unserializable";
            }
        }
        return null;
    }
}
