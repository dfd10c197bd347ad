package io.switchboard.platform.web.errors;

import io.switchboard.platform.problems.ErrorCode;
import io.switchboard.platform.problems.Problems;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Tomcat's error report as a problem document instead of an HTML page: what the container refuses
 * before any servlet runs (an encoded slash, a NUL, bad percent-encoding, a header or request line
 * over the limits) is answered in the same shape as every other error, with the generic code of its
 * status and nothing about the server. Installed on the host by {@link ContainerErrorsConfiguration}.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(true);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        ErrorCode code = ErrorCode.forStatus(status);
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(Problems.json(Problems.of(code, status, detail(status))));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the response cannot be written any more: nothing to report to
        }
    }

    private static String detail(int status) {
        return status == 400 ? "The request is malformed: the container could not read its path, parameters or headers"
                : ErrorCode.forStatus(status).title();
    }
}
