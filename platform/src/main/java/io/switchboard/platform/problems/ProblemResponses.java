package io.switchboard.platform.problems;

import io.switchboard.platform.web.RequestBodyLimitFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import jakarta.validation.ConstraintViolationException;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import java.util.List;
import java.util.Map;

/**
 * Turns every exception that reaches a controller into an {@code application/problem+json}
 * response with a stable code. Client mistakes get a 4xx that says what was wrong; anything else
 * is logged here and answered with a bare 500 that reveals nothing about the cause.
 */
@RestControllerAdvice
public class ProblemResponses extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemResponses.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ProblemDetail> apiException(ApiException e) {
        return respond(Problems.of(e.errorCode(), e.getMessage()));
    }

    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<ProblemDetail> accessDenied(AccessDeniedException e) {
        return respond(Problems.of(ErrorCode.FORBIDDEN, "The access token lacks the scope this operation needs"));
    }

    @ExceptionHandler(AuthenticationException.class)
    ResponseEntity<ProblemDetail> unauthenticated(AuthenticationException e) {
        return respond(Problems.of(ErrorCode.UNAUTHENTICATED, "A valid access token is required"));
    }

    /** A {@code @Validated} controller's parameter broke a constraint (method validation outside Spring MVC's own). */
    @ExceptionHandler(ConstraintViolationException.class)
    ResponseEntity<ProblemDetail> constraintViolation(ConstraintViolationException e) {
        List<Map<String, String>> errors = e.getConstraintViolations().stream()
                .map(violation -> Map.of("field", parameterName(violation.getPropertyPath().toString()),
                        "message", String.valueOf(violation.getMessage())))
                .toList();
        ProblemDetail problem = Problems.of(ErrorCode.VALIDATION_FAILED, "One or more parameters are invalid");
        problem.setProperty("errors", errors);
        return respond(problem);
    }

    /** The container could not decode a query or form parameter (bad percent-encoding, not UTF-8). */
    @ExceptionHandler(InvalidParameterException.class)
    ResponseEntity<ProblemDetail> undecodableParameter(InvalidParameterException e) {
        return respond(Problems.of(ErrorCode.MALFORMED_REQUEST,
                "A query or form parameter is not valid percent-encoded UTF-8"));
    }

    /** Spring Security's firewall refused a parameter when the controller read it (e.g. one holding a NUL). */
    @ExceptionHandler(RequestRejectedException.class)
    ResponseEntity<ProblemDetail> rejected(RequestRejectedException e) {
        return respond(Problems.of(ErrorCode.MALFORMED_REQUEST, "A parameter holds characters that are not allowed"));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        log.error("Unhandled error while serving a request", e);
        return respond(Problems.of(ErrorCode.INTERNAL_ERROR, "The request could not be completed"));
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = e.getBindingResult().getFieldErrors().stream()
                .map(ProblemResponses::describe).toList();
        ProblemDetail problem = Problems.of(ErrorCode.VALIDATION_FAILED, "One or more fields are invalid");
        problem.setProperty("errors", errors);
        return new ResponseEntity<>(problem, problemHeaders(), problem.getStatus());
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException e,
                                                                            HttpHeaders headers, HttpStatusCode status,
                                                                            WebRequest request) {
        List<Map<String, String>> errors = e.getParameterValidationResults().stream()
                .flatMap(result -> result.getResolvableErrors().stream()
                        .map(error -> Map.of("field", result.getMethodParameter().getParameterName() == null
                                        ? "parameter" : result.getMethodParameter().getParameterName(),
                                "message", String.valueOf(error.getDefaultMessage()))))
                .toList();
        ProblemDetail problem = Problems.of(ErrorCode.VALIDATION_FAILED, "One or more parameters are invalid");
        problem.setProperty("errors", errors);
        return new ResponseEntity<>(problem, problemHeaders(), problem.getStatus());
    }

    /**
     * Every other exception Spring MVC itself raises (unreadable body, wrong method, unsupported
     * media type, missing parameter, unknown path): keep Spring's status and detail, add our code.
     */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception e, Object body, HttpHeaders headers,
                                                             HttpStatusCode status, WebRequest request) {
        if (causedBy(e, RequestBodyLimitFilter.PayloadTooLargeException.class)) {
            ProblemDetail tooLarge = Problems.of(ErrorCode.PAYLOAD_TOO_LARGE, "The request body is too large");
            return new ResponseEntity<>(tooLarge, problemHeaders(), tooLarge.getStatus());
        }
        if (causedBy(e, RequestBodyLimitFilter.BodyTooSlowException.class)) {
            ProblemDetail tooSlow = Problems.of(ErrorCode.REQUEST_TIMEOUT, "The request body arrived too slowly");
            return new ResponseEntity<>(tooSlow, problemHeaders(), tooSlow.getStatus());
        }
        ProblemDetail problem = body instanceof ProblemDetail detail ? detail
                : ProblemDetail.forStatusAndDetail(status, "The request could not be processed");
        Problems.decorate(problem, ErrorCode.forStatus(status.value()));
        if (status.is5xxServerError()) {
            log.error("Request failed", e);
            problem.setDetail("The request could not be completed");
        }
        return new ResponseEntity<>(problem, problemHeaders(), status);
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    /** {@code list.cursor} names the method's parameter {@code cursor}. */
    private static String parameterName(String path) {
        int dot = path.indexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }

    private static Map<String, String> describe(FieldError error) {
        return Map.of("field", error.getField(), "message", String.valueOf(error.getDefaultMessage()));
    }

    private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus()).headers(problemHeaders()).body(problem);
    }

    private static HttpHeaders problemHeaders() {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return headers;
    }
}
