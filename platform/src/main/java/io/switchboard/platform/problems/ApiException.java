package io.switchboard.platform.problems;

/**
 * A failure caused by the request that the client can act on. Rendered as a problem document
 * with the status and code of its {@link ErrorCode}; the message becomes the {@code detail} and
 * must therefore never contain a secret or an internal detail.
 */
public class ApiException extends RuntimeException {

    private final ErrorCode errorCode;

    public ApiException(ErrorCode errorCode, String detail) {
        super(detail, null, false, false);
        this.errorCode = errorCode;
    }

    public ErrorCode errorCode() {
        return errorCode;
    }
}
