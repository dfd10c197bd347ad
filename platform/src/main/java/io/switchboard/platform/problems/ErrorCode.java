package io.switchboard.platform.problems;

import org.springframework.http.HttpStatus;

/**
 * Every error code a Switchboard HTTP API answers with, in one place. The code is stable (clients
 * branch on it); the title is a short human summary; the detail of each response explains the
 * particular case. Codes appear as the {@code code} member of an RFC 9457 problem document whose
 * {@code type} is {@code https://switchboard.dev/problems/<code>}.
 */
public enum ErrorCode {

    // generic request errors
    MALFORMED_REQUEST(HttpStatus.BAD_REQUEST, "The request body could not be read"),
    VALIDATION_FAILED(HttpStatus.BAD_REQUEST, "The request is invalid"),
    UNAUTHENTICATED(HttpStatus.UNAUTHORIZED, "A valid access token is required"),
    FORBIDDEN(HttpStatus.FORBIDDEN, "The token does not allow this operation"),
    NOT_FOUND(HttpStatus.NOT_FOUND, "No such resource"),
    METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed on this resource"),
    UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported content type"),
    NOT_ACCEPTABLE(HttpStatus.NOT_ACCEPTABLE, "No acceptable representation"),
    PAYLOAD_TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE, "The request body is too large"),
    REQUEST_TIMEOUT(HttpStatus.REQUEST_TIMEOUT, "The request body arrived too slowly"),
    RATE_LIMITED(HttpStatus.TOO_MANY_REQUESTS, "Too many requests"),
    OVERLOADED(HttpStatus.SERVICE_UNAVAILABLE, "The service is at capacity; retry later"),
    AUTH_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "Access tokens cannot be verified right now; retry later"),
    INTERNAL_ERROR(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error"),

    // OAuth 2.0 token endpoint (the response also carries the RFC 6749 "error" member)
    INVALID_TOKEN_REQUEST(HttpStatus.BAD_REQUEST, "The token request is malformed"),
    INVALID_CLIENT(HttpStatus.UNAUTHORIZED, "App authentication failed"),
    INVALID_GRANT(HttpStatus.BAD_REQUEST, "The grant is invalid"),
    INVALID_SCOPE(HttpStatus.BAD_REQUEST, "A requested scope is not allowed for this app"),
    UNSUPPORTED_GRANT_TYPE(HttpStatus.BAD_REQUEST, "Unsupported grant type"),

    // auth-service
    APP_NOT_FOUND(HttpStatus.NOT_FOUND, "No such app"),
    APP_SUSPENDED(HttpStatus.FORBIDDEN, "The app is suspended"),
    SCOPE_NOT_ALLOWED(HttpStatus.FORBIDDEN, "The app may not grant this scope"),
    CERTIFICATE_NOT_FOUND(HttpStatus.NOT_FOUND, "No such certificate"),
    CERTIFICATE_CONFLICT(HttpStatus.CONFLICT, "The certificates of the app do not allow this change"),
    SIGNING_KEY_CONFLICT(HttpStatus.CONFLICT, "The signing keys do not allow this change"),
    KAFKA_CREDENTIAL_NOT_FOUND(HttpStatus.NOT_FOUND, "No such Kafka credential"),
    KAFKA_CREDENTIALS_LIMIT_REACHED(HttpStatus.CONFLICT, "The app has as many active Kafka credentials as it may have"),
    KAFKA_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "Kafka did not take the change; nothing was changed, retry later"),
    SCHEMA_REGISTRY_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "The schema registry did not take the change; retry later"),

    // membership-service
    USER_NOT_FOUND(HttpStatus.NOT_FOUND, "No such user"),
    USER_EXISTS(HttpStatus.CONFLICT, "A user with this id already exists"),
    USER_DEACTIVATED(HttpStatus.CONFLICT, "The user is deactivated"),
    CONVERSATION_NOT_FOUND(HttpStatus.NOT_FOUND, "No such conversation"),
    CONVERSATION_EXISTS(HttpStatus.CONFLICT, "A conversation with this id already exists"),
    CONVERSATION_ARCHIVED(HttpStatus.CONFLICT, "The conversation is archived"),
    MEMBER_NOT_FOUND(HttpStatus.NOT_FOUND, "The user is not a member of the conversation"),
    MEMBER_LIMIT_REACHED(HttpStatus.CONFLICT, "The conversation has reached its member limit"),
    ROLE_NOT_ALLOWED(HttpStatus.FORBIDDEN, "The caller's role in the conversation does not allow this"),
    OWNER_MUST_TRANSFER(HttpStatus.CONFLICT, "The owner must transfer ownership first"),
    DIRECTORY_GROUP_NOT_FOUND(HttpStatus.NOT_FOUND, "No such department or tag"),
    DIRECTORY_GROUP_EXISTS(HttpStatus.CONFLICT, "A department or tag with this id already exists"),
    DIRECTORY_GROUP_NOT_EMPTY(HttpStatus.CONFLICT, "The department has sub-departments"),
    DIRECTORY_CYCLE(HttpStatus.CONFLICT, "A department cannot move under its own subtree"),

    // message-service
    NOT_A_MEMBER(HttpStatus.FORBIDDEN, "The caller is not a member of the conversation"),
    POSTING_ADMINS_ONLY(HttpStatus.FORBIDDEN, "Only the owner and admins may post in this conversation"),
    MEMBER_MUTED(HttpStatus.FORBIDDEN, "The caller is muted in this conversation"),
    CONVERSATION_MUTED(HttpStatus.FORBIDDEN, "The conversation is muted for members"),
    IDEMPOTENCY_KEY_MISSING(HttpStatus.BAD_REQUEST, "The Idempotency-Key header is required"),
    IDEMPOTENCY_KEY_REUSED(HttpStatus.UNPROCESSABLE_CONTENT, "The Idempotency-Key was used for a different request"),
    MESSAGE_NOT_FOUND(HttpStatus.NOT_FOUND, "No such message"),
    NOT_MESSAGE_SENDER(HttpStatus.FORBIDDEN, "Only the sender may change this message"),
    MESSAGE_NOT_CHANGEABLE(HttpStatus.CONFLICT, "The message was recalled or deleted and cannot change"),
    RECALL_WINDOW_PASSED(HttpStatus.CONFLICT, "The time to recall the message has passed"),
    VERSION_MISMATCH(HttpStatus.PRECONDITION_FAILED, "The message has changed since the version given in If-Match"),
    MESSAGE_TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE, "The message content exceeds its size limit"),
    MENTION_NOT_MEMBER(HttpStatus.UNPROCESSABLE_CONTENT, "A mentioned user is not a member of the conversation"),

    // routing rules and notification preferences (message-service)
    RULE_NOT_FOUND(HttpStatus.NOT_FOUND, "No such routing rule"),
    RULE_EXISTS(HttpStatus.CONFLICT, "A routing rule with this id already exists"),
    RULE_VERSION_MISMATCH(HttpStatus.PRECONDITION_FAILED, "The rule has changed since the version given in If-Match"),
    INVALID_CONDITION(HttpStatus.BAD_REQUEST, "The rule's condition is not a valid boolean CEL expression"),
    INVALID_TEMPLATE(HttpStatus.BAD_REQUEST, "A template of the rule does not parse"),
    TEMPLATE_UNRENDERABLE(HttpStatus.UNPROCESSABLE_CONTENT, "A template of the rule could never render within the limits"),

    // business events over HTTP (message-service)
    EVENT_LOG_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "Events cannot be published right now; retry later"),

    // webhooks (push-service)
    WEBHOOK_ENDPOINT_NOT_FOUND(HttpStatus.NOT_FOUND, "No such webhook endpoint"),
    WEBHOOK_ENDPOINT_LIMIT_REACHED(HttpStatus.CONFLICT, "The app has as many webhook endpoints as it may have"),
    WEBHOOK_ENDPOINT_DISABLED(HttpStatus.CONFLICT, "The webhook endpoint is disabled"),
    WEBHOOK_URL_REFUSED(HttpStatus.UNPROCESSABLE_CONTENT, "The URL is not an allowed webhook destination"),
    WEBHOOK_DELIVERY_NOT_FOUND(HttpStatus.NOT_FOUND, "No such webhook delivery"),
    WEBHOOK_DELIVERY_NOT_FAILED(HttpStatus.CONFLICT, "Only a failed delivery can be replayed");

    private final HttpStatus status;
    private final String title;

    ErrorCode(HttpStatus status, String title) {
        this.status = status;
        this.title = title;
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }

    /**
     * The generic code for a status that something other than Switchboard's own code decided: Spring
     * MVC, the security filters, the servlet container.
     */
    public static ErrorCode forStatus(int status) {
        return switch (status) {
            case 400 -> MALFORMED_REQUEST;
            case 401 -> UNAUTHENTICATED;
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 408 -> REQUEST_TIMEOUT;
            case 413 -> PAYLOAD_TOO_LARGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 429 -> RATE_LIMITED;
            case 503 -> OVERLOADED;
            default -> status >= 400 && status < 500 ? MALFORMED_REQUEST : INTERNAL_ERROR;
        };
    }

    /** The stable, lower-case, dash-separated code, e.g. {@code conversation-not-found}. */
    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
