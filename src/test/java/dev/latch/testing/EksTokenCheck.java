package dev.latch.testing;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Verifies EKS bearer tokens as the cluster side does: aws-iam-authenticator's checks on the
 * presigned STS GetCallerIdentity URL, then what STS itself would check when the authenticator
 * replays it (the SigV4 signature, recomputed with the cluster name the authenticator knows, and
 * the URL's age). Returns the caller's access key id, or throws {@link Rejected} with the reason.
 */
final class EksTokenCheck {

    static final String PREFIX = "k8s-aws-v1.";
    /** STS accepts a presigned GetCallerIdentity URL for 15 minutes after X-Amz-Date. */
    static final Duration MAX_AGE = Duration.ofMinutes(15);
    /** AWS tolerates this much clock skew for a timestamp in the future. */
    static final Duration MAX_SKEW = Duration.ofMinutes(5);

    // the authenticator refuses any parameter outside this list (lower-cased)
    private static final Set<String> ALLOWED_PARAMETERS = Set.of("action", "version", "x-amz-algorithm", "x-amz-credential",
            "x-amz-date", "x-amz-expires", "x-amz-security-token", "x-amz-signature", "x-amz-signedheaders");
    private static final Pattern REGIONAL_STS_HOST = Pattern.compile("sts\\.([a-z]{2}(?:-[a-z]+)+-[0-9])\\.amazonaws\\.com(\\.cn)?");
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final String clusterName;
    private final Function<String, Optional<String>> secretForAccessKey;
    private final Clock clock;

    EksTokenCheck(String clusterName, Function<String, Optional<String>> secretForAccessKey, Clock clock) {
        this.clusterName = clusterName;
        this.secretForAccessKey = secretForAccessKey;
        this.clock = clock;
    }

    static final class Rejected extends Exception {
        Rejected(String reason) {
            super(reason, null, false, false);
        }
    }

    /** The access key id that signed the token in an {@code Authorization} header value. */
    String accessKeyOf(String authorization) throws Rejected {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            throw new Rejected("no bearer token");
        }
        String token = authorization.substring("Bearer ".length()).trim();
        require(token.startsWith(PREFIX), "token does not start with " + PREFIX);
        require(!token.contains("="), "token is padded base64url");
        require(token.length() <= 4096, "token longer than 4096 bytes");
        URI url;
        try {
            url = URI.create(new String(Base64.getUrlDecoder().decode(token.substring(PREFIX.length())), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new Rejected("token is not base64url of a URL: " + e.getMessage());
        }

        require("https".equals(url.getScheme()), "URL scheme is not https");
        Optional<String> hostRegion = stsRegion(url.getHost());
        require(hostRegion.isPresent() && url.getPort() == -1 && url.getRawUserInfo() == null, "host is not an STS host: " + url.getHost());
        require("/".equals(url.getPath()), "path is not /");
        Map<String, String> query;
        try {
            query = PresignedSigV4.query(url);
        } catch (IllegalArgumentException e) {
            throw new Rejected(e.getMessage());
        }
        for (String key : query.keySet()) {
            require(ALLOWED_PARAMETERS.contains(key.toLowerCase()), "query parameter not allowed: " + key);
        }
        require("GetCallerIdentity".equals(query.get("Action")), "Action is not GetCallerIdentity");
        require("2011-06-15".equals(query.get("Version")), "Version is not 2011-06-15");
        require("AWS4-HMAC-SHA256".equals(query.get("X-Amz-Algorithm")), "X-Amz-Algorithm is not AWS4-HMAC-SHA256");
        require("host;x-k8s-aws-id".equals(query.get("X-Amz-SignedHeaders")), "X-Amz-SignedHeaders is not host;x-k8s-aws-id");
        require(query.containsKey("X-Amz-Signature"), "no X-Amz-Signature");

        Instant signedAt = signedAt(query.get("X-Amz-Date"));
        Instant now = clock.instant();
        require(!signedAt.isAfter(now.plus(MAX_SKEW)), "X-Amz-Date is in the future");
        require(!signedAt.plus(MAX_AGE).isBefore(now), "X-Amz-Date is older than 15 minutes (token expired)");
        require(expiresWithin60Seconds(query.get("X-Amz-Expires")), "X-Amz-Expires missing or not 1..60");

        // AccessKey/yyyyMMdd/region/sts/aws4_request, scoped to the host's region and the signing day
        String[] credential = String.valueOf(query.get("X-Amz-Credential")).split("/", -1);
        require(credential.length == 5, "X-Amz-Credential is not accessKey/date/region/sts/aws4_request");
        String accessKey = credential[0];
        require(credential[1].equals(query.get("X-Amz-Date").substring(0, 8)), "X-Amz-Credential date is not the X-Amz-Date day");
        require(credential[2].equals(hostRegion.get()), "X-Amz-Credential region " + credential[2] + " is not the host's " + hostRegion.get());
        require(credential[3].equals("sts") && credential[4].equals("aws4_request"), "X-Amz-Credential scope is not sts/aws4_request");
        // temporary (ASIA…) keys only sign with their session token; STS rejects them without it
        require(!accessKey.startsWith("ASIA") || !query.getOrDefault("X-Amz-Security-Token", "").isEmpty(),
                "session credentials without X-Amz-Security-Token");

        String secret = secretForAccessKey.apply(accessKey).orElseThrow(() -> new Rejected("unknown access key " + accessKey));
        String expected = PresignedSigV4.signature("/", query,
                new TreeMap<>(Map.of("host", url.getHost(), "x-k8s-aws-id", clusterName)), secret);
        require(MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), query.get("X-Amz-Signature").getBytes(StandardCharsets.US_ASCII)),
                "signature does not match (wrong secret, another cluster's token, or a changed URL)");
        return accessKey;
    }

    /** The signing region of a public STS host: sts.amazonaws.com is us-east-1, China regions use amazonaws.com.cn. */
    private static Optional<String> stsRegion(String host) {
        if ("sts.amazonaws.com".equals(host)) {
            return Optional.of("us-east-1");
        }
        Matcher regional = REGIONAL_STS_HOST.matcher(host == null ? "" : host);
        if (!regional.matches() || regional.group(1).startsWith("cn-") != (regional.group(2) != null)) {
            return Optional.empty();
        }
        return Optional.of(regional.group(1));
    }

    private static Instant signedAt(String amzDate) throws Rejected {
        try {
            return Instant.from(AMZ_DATE.parse(String.valueOf(amzDate)));
        } catch (DateTimeParseException e) {
            throw new Rejected("X-Amz-Date missing or malformed");
        }
    }

    private static boolean expiresWithin60Seconds(String expires) {
        return expires != null && expires.matches("[0-9]{1,4}") && Integer.parseInt(expires) >= 1 && Integer.parseInt(expires) <= 60;
    }

    private static void require(boolean condition, String reason) throws Rejected {
        if (!condition) {
            throw new Rejected(reason);
        }
    }
}
