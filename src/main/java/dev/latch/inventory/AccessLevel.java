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
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A level of access (view, edit, admin…) on an account (AWS console and CLI) or on a cluster
 * (Kubernetes): the IAM role Latch assumes for it and, for clusters, what the role may do there.
 */
@Entity
@Table(name = "access_level")
public class AccessLevel extends PanacheEntityBase {

    @Id
    public UUID id;

    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "account_id")
    public AwsAccount account;

    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "cluster_id")
    public Cluster cluster;

    @Column(nullable = false)
    public String name;

    public String description;

    @Column(name = "role_arn", nullable = false)
    public String roleArn;

    @Column(name = "eks_access_policy_arn")
    public String eksAccessPolicyArn;

    /** {@code cluster} or {@code namespace}. */
    @Column(name = "eks_access_scope")
    public String eksAccessScope;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "eks_namespaces", nullable = false)
    public List<String> eksNamespaces = List.of();

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "kubernetes_groups", nullable = false)
    public List<String> kubernetesGroups = List.of();

    /** Members of the break-glass group may take this level without approval (loudly, briefly). */
    @Column(name = "break_glass", nullable = false)
    public boolean breakGlass;

    @Column(nullable = false)
    public String source;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
