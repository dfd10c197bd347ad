package io.switchboard.message.ingest;

import io.switchboard.platform.problems.ApiException;
import io.switchboard.platform.problems.ErrorCode;

import java.util.List;

/**
 * Posted events broke rules the field annotations cannot express. Answered like a failed bean
 * validation: 400 {@code validation-failed} with an {@code errors} list of {@code {field, message}}.
 */
class InvalidEventException extends ApiException {

    /** One broken rule; {@code field} is a path such as {@code events[2].payload.customer.name}. */
    record FieldError(String field, String message) {
    }

    private final transient List<FieldError> errors;

    InvalidEventException(List<FieldError> errors) {
        super(ErrorCode.VALIDATION_FAILED, "One or more fields are invalid");
        this.errors = List.copyOf(errors);
    }

    List<FieldError> errors() {
        return errors;
    }
}
