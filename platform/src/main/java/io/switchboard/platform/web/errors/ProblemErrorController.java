package io.switchboard.platform.web.errors;

import io.swagger.v3.oas.annotations.Hidden;
import io.switchboard.platform.problems.ErrorCode;
import io.switchboard.platform.problems.Problems;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The servlet error page ({@code /error}), in place of Boot's: what a filter or the container
 * sends there (a request Spring Security's firewall refused, a method Tomcat does not allow, an
 * exception no handler caught) is answered as a problem document with the generic code of its
 * status, never with a stack trace or Boot's own error shape.
 */
@RestController
class ProblemErrorController implements ErrorController {

    /** Also answers a client that asks for {@code /error} itself: there is nothing there (404). */
    @Hidden
    @RequestMapping(path = "/error", produces = MediaType.ALL_VALUE)
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer value && value >= 400 ? value : 404;
        ErrorCode errorCode = ErrorCode.forStatus(status);
        String detail = status >= 500 ? "The request could not be completed" : errorCode.title();
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(Problems.of(errorCode, status, detail));
    }
}
