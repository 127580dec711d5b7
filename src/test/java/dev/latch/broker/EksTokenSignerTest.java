package dev.latch.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.testing.PresignedSigV4;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * The EKS token format, checked against aws-iam-authenticator's rules (SPECS §1) and with an
 * independent SigV4 computation (AWS Signature Version 4, query-string authentication), so the
 * signature is proven, not just present.
 */
class EksTokenSignerTest {

    private static final Clock AT = Clock.fixed(Instant.parse("2026-11-24T10:00:00Z"), ZoneOffset.UTC);
    private static final AwsSessionCredentials CREDENTIALS = AwsSessionCredentials.create(
            "ASIAEXAMPLEEXAMPLE01", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "FwoGZXIvYXdzEXAMPLE//token+with/special=chars");
    private static final Set<String> ALLOWED = Set.of("action", "version", "x-amz-algorithm", "x-amz-credential", "x-amz-date",
            "x-amz-expires", "x-amz-security-token", "x-amz-signature", "x-amz-signedheaders");

    @Test
    void theTokenIsWhatTheAuthenticatorAccepts() {
        EksTokenSigner.EksToken token = EksTokenSigner.sign(CREDENTIALS, "staging-main", "eu-west-1", AT);
        assertTrue(token.value().startsWith("k8s-aws-v1."));
        assertTrue(token.value().length() <= 4096);
        String encoded = token.value().substring("k8s-aws-v1.".length());
        assertFalse(encoded.contains("="), "unpadded base64url");
        URI url = URI.create(new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8));
        assertEquals("https", url.getScheme());
        assertEquals("sts.eu-west-1.amazonaws.com", url.getHost());
        assertEquals("/", url.getPath());
        Map<String, String> query = query(url);
        assertTrue(ALLOWED.containsAll(query.keySet().stream().map(String::toLowerCase).toList()), query.keySet().toString());
        assertEquals("GetCallerIdentity", query.get("Action"));
        assertEquals("2011-06-15", query.get("Version"));
        assertEquals("AWS4-HMAC-SHA256", query.get("X-Amz-Algorithm"));
        assertEquals("ASIAEXAMPLEEXAMPLE01/20261124/eu-west-1/sts/aws4_request", query.get("X-Amz-Credential"));
        assertEquals("20261124T100000Z", query.get("X-Amz-Date"));
        assertEquals("60", query.get("X-Amz-Expires"));
        assertEquals("host;x-k8s-aws-id", query.get("X-Amz-SignedHeaders"));
        assertEquals(CREDENTIALS.sessionToken(), query.get("X-Amz-Security-Token"));
        assertEquals(Instant.parse("2026-11-24T10:14:00Z"), token.expiresAt());
    }

    @Test
    void theSignatureMatchesAnIndependentSigV4Computation() {
        EksTokenSigner.EksToken token = EksTokenSigner.sign(CREDENTIALS, "staging-main", "eu-west-1", AT);
        URI url = URI.create(new String(Base64.getUrlDecoder().decode(token.value().substring(11)), StandardCharsets.UTF_8));
        Map<String, String> query = query(url);
        assertEquals(expectedSignature(query, "staging-main"), query.get("X-Amz-Signature"));
        // signed for one cluster, the token does not verify for another (the header is part of the signature)
        assertFalse(expectedSignature(query, "prod-main").equals(query.get("X-Amz-Signature")));
    }

    @Test
    void theHostIsAlwaysThePublicRegionalStsHost() {
        assertEquals("sts.us-east-1.amazonaws.com", EksTokenSigner.stsHost("us-east-1"));
        assertEquals("sts.cn-north-1.amazonaws.com.cn", EksTokenSigner.stsHost("cn-north-1"));
    }

    /** The independent SigV4 computation, with the cluster name as the client's signed header. */
    private static String expectedSignature(Map<String, String> query, String cluster) {
        return PresignedSigV4.signature("/", query, new TreeMap<>(Map.of("host", "sts.eu-west-1.amazonaws.com", "x-k8s-aws-id", cluster)),
                CREDENTIALS.secretAccessKey());
    }

    private static Map<String, String> query(URI url) {
        return PresignedSigV4.query(url);
    }
}
