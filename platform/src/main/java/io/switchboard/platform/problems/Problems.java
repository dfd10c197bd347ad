package io.switchboard.platform.problems;

import org.springframework.http.ProblemDetail;

import java.net.URI;

/** Builds the one problem document shape every Switchboard API answers errors with. */
public final class Problems {

    public static final String TYPE_BASE = "https://switchboard.dev/problems/";

    private Problems() {
    }

    public static ProblemDetail of(ErrorCode code, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(code.status(), detail);
        return decorate(problem, code);
    }

    /** Gives a problem created elsewhere (e.g. by Spring MVC) our type, title and code. */
    public static ProblemDetail decorate(ProblemDetail problem, ErrorCode code) {
        problem.setType(URI.create(TYPE_BASE + code.code()));
        problem.setTitle(code.title());
        problem.setProperty("code", code.code());
        return problem;
    }
}
