package dev.latch.inventory;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** An AWS account people can reach through Latch. */
@Entity
@Table(name = "aws_account")
public class AwsAccount extends PanacheEntityBase {

    @Id
    public UUID id;

    /** The 12-digit AWS account id. */
    @Column(name = "account_id", nullable = false, columnDefinition = "bpchar(12)")
    public String accountId;

    @Column(nullable = false)
    public String name;

    /** e.g. dev, staging, prod: groups the dashboard and names contexts. */
    @Column(nullable = false)
    public String environment;

    @Column(name = "default_region", nullable = false)
    public String defaultRegion;

    @Column(nullable = false)
    public String source;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
