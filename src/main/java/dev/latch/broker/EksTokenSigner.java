package dev.latch.broker;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * EKS bearer tokens exactly as {@code aws eks get-token} and aws-iam-authenticator make them:
 * {@code k8s-aws-v1.} + unpadded base64url of a SigV4-presigned STS {@code GetCallerIdentity} GET
 * (Version 2011-06-15) for the public regional STS host, signing {@code host} and
 * {@code x-k8s-aws-id: <cluster name>}, {@code X-Amz-Expires=60}. The API server replays the URL to
 * STS, which accepts it for 15 minutes after X-Amz-Date; the reported expiry is 14 minutes, as the
 * AWS CLI reports it, so clients refresh before STS stops accepting it.
 *
 * <p>The host is always the public STS host of the cluster's region, never the SDK's configured
 * endpoint (a VPC endpoint or an emulator): the token is verified by EKS's authenticator, which only
 * accepts the public hosts.
 */
public final class EksTokenSigner {

    public static final String PREFIX = "k8s-aws-v1.";
    static final Duration URL_EXPIRES = Duration.ofSeconds(60);
    static final Duration REPORTED_LIFETIME = Duration.ofMinutes(14);

    private EksTokenSigner() {
    }

    /** A token and when clients should stop using it. */
    public record EksToken(String value, Instant expiresAt) {
    }

    public static EksToken sign(AwsCredentialsIdentity credentials, String clusterName, String region, Clock clock) {
        SdkHttpFullRequest request = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.GET)
                .uri(URI.create("https://" + stsHost(region) + "/"))
                .appendRawQueryParameter("Action", "GetCallerIdentity")
                .appendRawQueryParameter("Version", "2011-06-15")
                .putHeader("x-k8s-aws-id", clusterName)
                .build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(credentials)
                .request(request)
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "sts")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4FamilyHttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                .putProperty(AwsV4FamilyHttpSigner.EXPIRATION_DURATION, URL_EXPIRES)
                .putProperty(HttpSigner.SIGNING_CLOCK, clock));
        String url = signed.request().getUri().toString();
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(url.getBytes(StandardCharsets.UTF_8));
        return new EksToken(token, clock.instant().plus(REPORTED_LIFETIME));
    }

    /** The public regional STS host (China regions use their own domain). */
    static String stsHost(String region) {
        return "sts." + region + (region.startsWith("cn-") ? ".amazonaws.com.cn" : ".amazonaws.com");
    }
}
