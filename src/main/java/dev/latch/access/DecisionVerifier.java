package dev.latch.access;

import dev.latch.identity.User;
import dev.latch.webauthn.WebAuthnCredential;
import dev.latch.webauthn.WebAuthnService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.security.MessageDigest;

/**
 * "Verify" on a stored decision: the key's signature, the challenge, and that what was signed is
 * what the request and the decision rows say now (in the decision's evidence version), by a key of
 * the recorded approver. Pure: nothing is written.
 */
@ApplicationScoped
public class DecisionVerifier {

    /** The outcome, in words for the request page. */
    public record Verdict(boolean ok, String text) {
    }

    private final WebAuthnService webauthn;

    public DecisionVerifier(WebAuthnService webauthn) {
        this.webauthn = webauthn;
    }

    @Transactional
    public Verdict verify(AccessDecision decision) {
        if (!MessageDigest.isEqual(DecisionEvidence.challengeOf(decision.nonce, decision.canonicalContent),
                WebAuthnService.challengeOf(decision.assertionRequest))) {
            return new Verdict(false, "The signed challenge does not match the recorded content.");
        }
        WebAuthnCredential key = WebAuthnCredential.findById(decision.credentialId);
        if (key == null || !webauthn.verifyEvidence(decision.assertionRequest, decision.assertionResponse, key.credentialId)) {
            return new Verdict(false, "The signature does not verify with the stored key.");
        }
        AccessRequest request = AccessRequest.findById(decision.requestId);
        String expected = DecisionEvidence.canonical(decision.evidenceVersion, request, decision.decision, User.findById(decision.approverId));
        if (!expected.equals(decision.canonicalContent)) {
            return new Verdict(false, "The request or the decision as stored now is not what was signed (format v"
                    + decision.evidenceVersion + "; differs in: " + String.join(", ", differing(expected, decision.canonicalContent)) + ").");
        }
        if (!key.userId.equals(decision.approverId)) {
            return new Verdict(false, "The key that signed is not a key of the recorded approver.");
        }
        return new Verdict(true, "Verified: key \"" + key.nickname + "\" of the recorded approver signed exactly this decision ("
                + decision.decision + ") of this request as it is stored now (format v" + decision.evidenceVersion + ").");
    }

    /** The names of the lines ("starts_at", "decision"…) where the rebuilt text and the signed one differ. */
    private static java.util.List<String> differing(String expected, String signed) {
        String[] now = expected.split("\n", -1);
        String[] then = signed.split("\n", -1);
        java.util.List<String> names = new java.util.ArrayList<>();
        for (int i = 0; i < Math.max(now.length, then.length); i++) {
            String line = i < now.length ? now[i] : then[i];
            if (i >= now.length || i >= then.length || !now[i].equals(then[i])) {
                names.add(line.contains(":") ? line.substring(0, line.indexOf(':')) : "line " + (i + 1));
            }
        }
        return names;
    }
}
