package io.switchboard.auth.kafka;

import io.switchboard.platform.problems.ApiException;
import io.switchboard.platform.problems.ErrorCode;

/** Kafka (or the Kubernetes API that Strimzi watches) did not take a credential change; nothing was issued or revoked. */
class KafkaUnavailableException extends ApiException {

    KafkaUnavailableException(String detail) {
        super(ErrorCode.KAFKA_UNAVAILABLE, detail);
    }
}
