package dev.latch.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
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
    void theSignatureMatchesAnIndependentSigV4Computation() throws Exception {
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

    /** SigV4 by the book: canonical request, string to sign, derived key, HMAC. */
    private static String expectedSignature(Map<String, String> query, String cluster) throws Exception {
        TreeMap<String, String> canonical = new TreeMap<>(query);
        canonical.remove("X-Amz-Signature");
        StringBuilder canonicalQuery = new StringBuilder();
        canonical.forEach((k, v) -> canonicalQuery.append(canonicalQuery.length() == 0 ? "" : "&").append(encode(k)).append('=').append(encode(v)));
        String canonicalRequest = String.join("\n", "GET", "/", canonicalQuery.toString(),
                "host:sts.eu-west-1.amazonaws.com", "x-k8s-aws-id:" + cluster, "", "host;x-k8s-aws-id",
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(new byte[0])));
        String stringToSign = String.join("\n", "AWS4-HMAC-SHA256", "20261124T100000Z", "20261124/eu-west-1/sts/aws4_request",
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonicalRequest.getBytes(StandardCharsets.UTF_8))));
        byte[] key = hmac(("AWS4" + CREDENTIALS.secretAccessKey()).getBytes(StandardCharsets.UTF_8), "20261124");
        key = hmac(key, "eu-west-1");
        key = hmac(key, "sts");
        key = hmac(key, "aws4_request");
        return HexFormat.of().formatHex(hmac(key, stringToSign));
    }

    private static byte[] hmac(byte[] key, String data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
    }

    private static Map<String, String> query(URI url) {
        Map<String, String> query = new TreeMap<>();
        for (String pair : url.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
            if (query.put(key, URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8)) != null) {
                throw new AssertionError("duplicate query key " + key);
            }
        }
        return query;
    }
}
