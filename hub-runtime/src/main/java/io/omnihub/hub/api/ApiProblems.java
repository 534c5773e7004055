package io.omnihub.hub.api;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * RFC 7807 problems the API answers with; Spring MVC renders them as {@code application/problem+json}.
 */
final class ApiProblems {

    private ApiProblems() {
    }

    static ErrorResponseException notFound(String detail) {
        return problem(HttpStatus.NOT_FOUND, "Not Found", detail);
    }

    static ErrorResponseException badRequest(String detail) {
        return problem(HttpStatus.BAD_REQUEST, "Bad Request", detail);
    }

    static ErrorResponseException conflict(String detail) {
        return problem(HttpStatus.CONFLICT, "Conflict", detail);
    }

    static ErrorResponseException unprocessable(String detail) {
        return problem(HttpStatus.UNPROCESSABLE_ENTITY, "Unprocessable Entity", detail);
    }

    static ErrorResponseException forbidden(String detail) {
        return problem(HttpStatus.FORBIDDEN, "Forbidden", detail);
    }

    static ErrorResponseException unavailable(String detail) {
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "Service Unavailable", detail);
    }

    private static ErrorResponseException problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return new ErrorResponseException(status, problem, null);
    }
}
