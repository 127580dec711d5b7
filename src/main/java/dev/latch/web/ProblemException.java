package dev.latch.web;

/**
 * Thrown by resources and services to end a request with a clear 4xx answer: a page for
 * browsers, problem JSON for programs. {@code code} names the problem type (e.g.
 * {@code csrf-rejected}); {@code detail} is shown to the person, so it must say what to do.
 */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String code;
    private final String title;
    private Long retryAfterSeconds;

    public ProblemException(int status, String code, String title, String detail) {
        super(detail);
        this.status = status;
        this.code = code;
        this.title = title;
    }

    /** Adds a Retry-After header (seconds) to the answer, for 429 and 503. */
    public ProblemException retryAfter(long seconds) {
        this.retryAfterSeconds = Math.max(1, seconds);
        return this;
    }

    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    public static ProblemException badRequest(String code, String detail) {
        return new ProblemException(400, code, "Bad request", detail);
    }

    public static ProblemException forbidden(String code, String detail) {
        return new ProblemException(403, code, "Forbidden", detail);
    }

    public static ProblemException tooManyRequests(String detail, long retryAfterSeconds) {
        return new ProblemException(429, "rate-limited", "Too many requests", detail).retryAfter(retryAfterSeconds);
    }

    /** 428: the action needs a fresh key touch; page scripts ask for it and repeat the request. */
    public static ProblemException stepUpRequired(String detail) {
        return new ProblemException(428, "step-up-required", "Confirm it is you", detail);
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(404, "not-found", "Not found", detail);
    }
}
