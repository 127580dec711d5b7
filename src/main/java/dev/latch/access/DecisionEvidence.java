package dev.latch.access;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.latch.identity.User;
import dev.latch.support.Secrets;
import java.nio.charset.StandardCharsets;

/**
 * The text an approver's key signs when deciding a request, by format version. The WebAuthn
 * challenge is {@code SHA-256(nonce ‖ text)}, so the stored assertion shows that this key decided
 * exactly what the text says. Each decision stores its version, and Verify rebuilds the text of
 * that version from the rows as they are now: a row changed after the decision no longer matches.
 * <ul>
 *   <li>Version 1 (decisions made before the version was stored): request, requester, level,
 *       duration, reason and decision.</li>
 *   <li>Version 2: everything the grant depends on — also the start, the ticket, the grant it
 *       extends, the policy copied at filing, the filing time and the approver. Every value is
 *       JSON-quoted, so a reason with a line break cannot forge another line.</li>
 * </ul>
 */
final class DecisionEvidence {

    /** The version new decisions sign. */
    static final int CURRENT = 2;

    private DecisionEvidence() {
    }

    static String canonical(int version, AccessRequest request, String decision, User approver) {
        return switch (version) {
            case 1 -> v1(request, decision);
            case 2 -> v2(request, decision, approver);
            default -> throw new IllegalArgumentException("unknown decision evidence version " + version);
        };
    }

    static byte[] challengeOf(byte[] nonce, String canonical) {
        byte[] content = canonical.getBytes(StandardCharsets.UTF_8);
        byte[] joined = new byte[nonce.length + content.length];
        System.arraycopy(nonce, 0, joined, 0, nonce.length);
        System.arraycopy(content, 0, joined, nonce.length, content.length);
        return Secrets.sha256(joined);
    }

    private static String v1(AccessRequest request, String decision) {
        return "latch-access-decision/v1\n"
                + "request:" + request.id + "\n"
                + "requester:" + request.requester.username + "\n"
                + "level:" + AccessRequests.levelName(request.level) + " (" + request.level.id + ")\n"
                + "duration:" + request.duration + "\n"
                + "reason:" + request.reason + "\n"
                + "decision:" + decision + "\n";
    }

    private static String v2(AccessRequest request, String decision, User approver) {
        return "latch-access-decision/v2\n"
                + line("request", request.id)
                + line("requester", request.requester.username)
                + line("requester_id", request.requester.id)
                + line("level", AccessRequests.levelName(request.level))
                + line("level_id", request.level.id)
                + line("duration", request.duration)
                + line("starts_at", request.startsAt == null ? "when approved" : request.startsAt)
                + line("reason", request.reason)
                + line("ticket", request.ticketUrl)
                + line("extends_grant", request.extendsGrantId)
                + line("policy", request.policyJson)
                + line("filed_at", request.createdAt)
                + line("decision", decision)
                + line("approver", approver == null ? null : approver.username)
                + line("approver_id", approver == null ? null : approver.id);
    }

    private static String line(String name, Object value) {
        return name + ": " + (value == null ? "null" : "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(value.toString())) + "\"")
                + "\n";
    }
}
