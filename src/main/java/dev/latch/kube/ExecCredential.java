package dev.latch.kube;

/**
 * What a client-go exec credential plugin prints ({@code client.authentication.k8s.io/v1}):
 * the bearer token and when kubectl must run the plugin again.
 */
public record ExecCredential(String apiVersion, String kind, Status status) {

    public record Status(String token, String expirationTimestamp) {
    }

    static ExecCredential of(String token, java.time.Instant expiresAt) {
        return new ExecCredential(KubeconfigRenderer.EXEC_API_VERSION, "ExecCredential",
                new Status(token, expiresAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString()));
    }
}
