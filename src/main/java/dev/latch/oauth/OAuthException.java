package dev.latch.oauth;

/**
 * An OAuth protocol error (RFC 6749 §5.2, RFC 8628 §3.5), written as
 * {@code {"error": ..., "error_description": ...}} by {@link OAuthErrorMapper}.
 */
public class OAuthException extends RuntimeException {

    private final String error;
    private final int status;

    public OAuthException(String error, String description) {
        this(400, error, description);
    }

    public OAuthException(int status, String error, String description) {
        super(description);
        this.status = status;
        this.error = error;
    }

    public String error() {
        return error;
    }

    public int status() {
        return status;
    }

    public static OAuthException invalidRequest(String description) {
        return new OAuthException("invalid_request", description);
    }

    public static OAuthException invalidGrant(String description) {
        return new OAuthException("invalid_grant", description);
    }

    public static OAuthException invalidClient(String description) {
        return new OAuthException(401, "invalid_client", description);
    }

    public static OAuthException invalidDpopProof(String description) {
        return new OAuthException("invalid_dpop_proof", description);
    }
}
