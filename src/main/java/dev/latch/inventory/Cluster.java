package dev.latch.inventory;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A Kubernetes cluster: EKS, or a generic cluster that trusts Latch as an OIDC issuer. */
@Entity
@Table(name = "cluster")
public class Cluster extends PanacheEntityBase {

    @Id
    public UUID id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "account_id")
    public AwsAccount account;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public String region;

    /** {@code eks} or {@code generic}. */
    @Column(nullable = false)
    public String kind;

    @Column(nullable = false)
    public String endpoint;

    /** Base64 PEM bundle of the API server's CA, as EKS reports it. */
    @Column(name = "ca_bundle", nullable = false)
    public String caBundle;

    /** Kubeconfig context name, {@code <env>-<purpose>}. */
    @Column(name = "context_name", nullable = false)
    public String contextName;

    /** Private endpoint or proxy to use instead of {@link #endpoint}. */
    @Column(name = "endpoint_override")
    public String endpointOverride;

    @Column(name = "ca_override")
    public String caOverride;

    @Column(nullable = false)
    public String source;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
