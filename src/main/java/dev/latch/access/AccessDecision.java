package dev.latch.access;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * One person's decision on one request, and its evidence: the nonce and canonical content whose
 * SHA-256 was the WebAuthn challenge, the assertion request and the key's answer. A void decision
 * keeps its evidence but no longer counts.
 */
@Entity
@Table(name = "access_decision")
public class AccessDecision extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "request_id", nullable = false)
    public UUID requestId;

    @Column(name = "approver_id", nullable = false)
    public UUID approverId;

    /** {@code approve} or {@code deny}. */
    @Column(nullable = false)
    public String decision;

    public String comment;

    @Column(nullable = false)
    public byte[] nonce;

    @Column(name = "canonical_content", nullable = false)
    public String canonicalContent;

    @Column(name = "assertion_request", nullable = false)
    public String assertionRequest;

    @Column(name = "assertion_response", nullable = false)
    public String assertionResponse;

    @Column(name = "credential_id", nullable = false)
    public UUID credentialId;

    @Column(name = "decided_at", nullable = false)
    public Instant decidedAt;

    /** The format of {@link #canonicalContent}; see {@link DecisionEvidence}. */
    @Column(name = "evidence_version", nullable = false)
    public int evidenceVersion = DecisionEvidence.CURRENT;

    /** Set when the vote stopped counting (its approver was disabled while the request was open). */
    @Column(name = "voided_at")
    public Instant voidedAt;

    @Column(name = "void_reason")
    public String voidReason;

    /** The manager this decision was cast for, when its approver acted as their delegate; else null. */
    @Column(name = "as_delegate_of")
    public UUID asDelegateOf;

    public boolean isVoid() {
        return voidedAt != null;
    }

    public boolean approves() {
        return "approve".equals(decision);
    }
}
