package io.switchboard.platform.web.errors;

import io.switchboard.platform.problems.ErrorCode;
import io.switchboard.platform.problems.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.cors.DefaultCorsProcessor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Spring's CORS checks with a problem document for a refused cross-origin request (an origin, method
 * or header not allowed), in place of a bare "Invalid CORS request".
 */
public class ProblemCorsProcessor extends DefaultCorsProcessor {

    @Override
    protected void rejectRequest(ServerHttpResponse response) throws IOException {
        response.setStatusCode(HttpStatus.FORBIDDEN);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        response.getBody().write(Problems.json(Problems.of(ErrorCode.FORBIDDEN,
                "This origin, method or header is not allowed across origins")).getBytes(StandardCharsets.UTF_8));
        response.flush();
    }
}
