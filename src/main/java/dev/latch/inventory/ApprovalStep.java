package dev.latch.inventory;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.UUID;

/** One step of a requestable entitlement's approval policy; every step must pass. */
@Entity
@Table(name = "approval_step")
public class ApprovalStep extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "entitlement_id", nullable = false)
    public UUID entitlementId;

    @Column(nullable = false)
    public int position;

    /** {@code manager} or {@code group}. */
    @Column(name = "approver_kind", nullable = false)
    public String approverKind;

    @Column(name = "approver_group_id")
    public UUID approverGroupId;

    @Column(name = "required_approvals", nullable = false)
    public int requiredApprovals = 1;
}
