package dev.latch.testing;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4 for presigned (query-string) GET URLs, written from the specification and
 * not with the AWS SDK, so tests of Latch's signer check it against something independent. Shared by
 * the EKS token tests and the Kubernetes API stand-in, so both agree on what a valid token is.
 */
public final class PresignedSigV4 {

    /** A presigned URL carries no body and no content-hash header: the server assumes the empty payload. */
    private static final String EMPTY_PAYLOAD_HASH = sha256Hex("");

    private PresignedSigV4() {
    }

    /** The decoded query parameters; a repeated key is an error (the authenticator refuses those too). */
    public static Map<String, String> query(URI url) {
        Map<String, String> query = new TreeMap<>();
        String raw = url.getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (query.put(key, value) != null) {
                throw new IllegalArgumentException("duplicate query parameter " + key);
            }
        }
        return query;
    }

    /**
     * The hex signature of a presigned GET: the scope (date/region/service) comes from
     * X-Amz-Credential, the timestamp from X-Amz-Date; {@code headers} are the signed headers with
     * lower-case names (the client sent them, they are not in the URL).
     */
    public static String signature(String path, Map<String, String> query, SortedMap<String, String> headers, String secretAccessKey) {
        String[] credential = query.get("X-Amz-Credential").split("/");
        String date = credential[1];
        String region = credential[2];
        String service = credential[3];

        // canonical query: every parameter except the signature, encoded per SigV4, sorted by encoded key
        SortedMap<String, String> canonical = new TreeMap<>();
        query.forEach((k, v) -> {
            if (!k.equals("X-Amz-Signature")) {
                canonical.put(encode(k), encode(v));
            }
        });
        StringBuilder canonicalQuery = new StringBuilder();
        canonical.forEach((k, v) -> canonicalQuery.append(canonicalQuery.length() == 0 ? "" : "&").append(k).append('=').append(v));
        StringBuilder canonicalHeaders = new StringBuilder();
        headers.forEach((k, v) -> canonicalHeaders.append(k).append(':').append(v.trim()).append('\n'));

        String canonicalRequest = String.join("\n", "GET", path, canonicalQuery, canonicalHeaders,
                String.join(";", headers.keySet()), EMPTY_PAYLOAD_HASH);
        String stringToSign = String.join("\n", "AWS4-HMAC-SHA256", query.get("X-Amz-Date"),
                String.join("/", date, region, service, "aws4_request"), sha256Hex(canonicalRequest));
        byte[] key = hmac(("AWS4" + secretAccessKey).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, region);
        key = hmac(key, service);
        key = hmac(key, "aws4_request");
        return HexFormat.of().formatHex(hmac(key, stringToSign));
    }

    /** RFC 3986 percent-encoding as SigV4 wants it: only unreserved characters stay as they are. */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
    }

    private static String sha256Hex(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
