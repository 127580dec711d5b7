package dev.latch.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;

/**
 * The hash-chain rule, free of any framework so it can be checked on its own: a row's hash is
 * {@code SHA-256(prevHash || UTF-8(canonical(row)))}, and the canonical form is a JSON object with
 * a fixed key order and the details sorted by key. Timestamps are cut to microseconds, the
 * precision PostgreSQL keeps, so a row hashes the same before and after a round trip.
 */
public final class AuditChain {

    /** The previous hash of the first row. */
    public static final byte[] GENESIS = new byte[32];

    private AuditChain() {
    }

    /** One row's content, as stored. */
    public record Row(long seq, Instant occurredAt, String actorType, String actorId, String actorName,
            String action, String targetType, String targetId, String outcome, String sourceIp,
            String requestId, Map<String, String> details) {

        public Row {
            occurredAt = truncate(occurredAt);
            details = details == null ? Map.of() : Map.copyOf(details);
        }
    }

    /** Cuts an instant to the precision stored in the database. */
    public static Instant truncate(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }

    public static byte[] hash(byte[] prevHash, Row row) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(prevHash);
            sha256.update(canonical(row).getBytes(StandardCharsets.UTF_8));
            return sha256.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The canonical JSON text of a row; exposed for exports and for tests. */
    public static String canonical(Row row) {
        StringBuilder json = new StringBuilder(256).append('{');
        field(json, "seq", Long.toString(row.seq()), false);
        field(json, "occurred_at", DateTimeFormatter.ISO_INSTANT.format(row.occurredAt()), true);
        field(json, "actor_type", row.actorType(), true);
        field(json, "actor_id", row.actorId(), true);
        field(json, "actor_name", row.actorName(), true);
        field(json, "action", row.action(), true);
        field(json, "target_type", row.targetType(), true);
        field(json, "target_id", row.targetId(), true);
        field(json, "outcome", row.outcome(), true);
        field(json, "source_ip", row.sourceIp(), true);
        field(json, "request_id", row.requestId(), true);
        json.append("\"details\":{");
        boolean first = true;
        for (Map.Entry<String, String> detail : new TreeMap<>(row.details()).entrySet()) {
            if (!first) {
                json.append(',');
            }
            first = false;
            string(json, detail.getKey());
            json.append(':');
            string(json, detail.getValue());
        }
        return json.append("}}").toString();
    }

    private static void field(StringBuilder json, String name, String value, boolean quoted) {
        string(json, name);
        json.append(':');
        if (value == null) {
            json.append("null");
        } else if (quoted) {
            string(json, value);
        } else {
            json.append(value);
        }
        json.append(',');
    }

    private static void string(StringBuilder json, String value) {
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
