package dev.latch.oauth;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A stored signing key; the private half only in encrypted form. */
@Entity
@Table(name = "signing_key")
public class SigningKey extends PanacheEntityBase {

    @Id
    public String kid;

    @Column(nullable = false)
    public String algorithm;

    @Column(name = "public_jwk", nullable = false)
    public String publicJwk;

    @Column(name = "private_key_enc", nullable = false)
    public byte[] privateKeyEnc;

    @Column(name = "kek_id", nullable = false)
    public String kekId;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "retired_at")
    public Instant retiredAt;

    @Column(name = "publish_until")
    public Instant publishUntil;
}
