package dev.latch.audit;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.Immutable;

/** A signed statement of the chain's head at one moment. Immutable: only ever inserted. */
@Entity
@Immutable
@Table(name = "audit_checkpoint")
public class AuditCheckpoint extends PanacheEntityBase {

    @Id
    public UUID id;

    /** The newest row's seq (0 while the log is empty). */
    @Column(name = "head_seq", nullable = false)
    public long headSeq;

    /** That row's hash (the genesis value while the log is empty). */
    @Column(name = "head_hash", nullable = false)
    public byte[] headHash;

    @Column(name = "row_count", nullable = false)
    public long rowCount;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** The signing key's id, as published in the JWKS. */
    @Column(nullable = false)
    public String kid;

    /** Compact JWS (ES256) over {@code {"seq","hash","rows","at"}}. */
    @Column(nullable = false)
    public String jws;
}
