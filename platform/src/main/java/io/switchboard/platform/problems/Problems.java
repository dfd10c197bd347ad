package io.switchboard.platform.problems;

import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds the one problem document shape every Switchboard API answers errors with. */
public final class Problems {

    public static final String TYPE_BASE = "https://switchboard.dev/problems/";

    private Problems() {
    }

    public static ProblemDetail of(ErrorCode code, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(code.status(), detail);
        return decorate(problem, code);
    }

    /** A problem whose status is not its code's own, e.g. a 422 the container decided, with the generic code. */
    public static ProblemDetail of(ErrorCode code, int status, String detail) {
        return decorate(ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(status), detail), code);
    }

    /** Writes a problem document directly to a servlet response (filters that answer before MVC). */
    public static void write(HttpServletResponse response, ProblemDetail problem) throws IOException {
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getWriter().write(json(problem));
    }

    /** The problem document as JSON, for writers outside Spring MVC (the container's error reports). */
    public static String json(ProblemDetail problem) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("type", problem.getType().toString());
        fields.put("title", problem.getTitle());
        fields.put("status", problem.getStatus());
        fields.put("detail", problem.getDetail());
        if (problem.getProperties() != null) {
            fields.putAll(problem.getProperties());
        }
        return JsonMapper.shared().writeValueAsString(fields);
    }

    /** Gives a problem created elsewhere (e.g. by Spring MVC) our type, title and code. */
    public static ProblemDetail decorate(ProblemDetail problem, ErrorCode code) {
        problem.setType(URI.create(TYPE_BASE + code.code()));
        problem.setTitle(code.title());
        problem.setProperty("code", code.code());
        return problem;
    }
}
