package dev.latch.access;

import static dev.latch.access.ApprovalPolicy.Outcome.APPROVED;
import static dev.latch.access.ApprovalPolicy.Outcome.DENIED;
import static dev.latch.access.ApprovalPolicy.Outcome.PENDING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.access.ApprovalPolicy.Approver;
import dev.latch.access.ApprovalPolicy.Kind;
import dev.latch.access.ApprovalPolicy.Step;
import dev.latch.access.ApprovalPolicy.Vote;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The approval rules as plain Java: who may decide, who counts, when a request is decided. */
class ApprovalPolicyTest {

    private static final UUID REQUESTER = UUID.randomUUID();
    private static final UUID SRE = UUID.randomUUID();
    private static final UUID SECURITY = UUID.randomUUID();

    private final Approver manager = new Approver(UUID.randomUUID(), true, Set.of());
    private final Approver managerInSre = new Approver(UUID.randomUUID(), true, Set.of(SRE));
    private final Approver peer1 = new Approver(UUID.randomUUID(), false, Set.of(SRE));
    private final Approver peer2 = new Approver(UUID.randomUUID(), false, Set.of(SRE));
    private final Approver peer3 = new Approver(UUID.randomUUID(), false, Set.of(SRE));
    private final Approver securityOfficer = new Approver(UUID.randomUUID(), false, Set.of(SECURITY));
    private final Approver outsider = new Approver(UUID.randomUUID(), false, Set.of());
    private final Approver requesterInSre = new Approver(REQUESTER, false, Set.of(SRE));

    private static ApprovalPolicy policy(Step... steps) {
        return new ApprovalPolicy(List.of(steps));
    }

    private static Step managerStep() {
        return new Step(1, Kind.MANAGER, null, null, 1);
    }

    private static Step group(UUID group, int required) {
        return new Step(2, Kind.GROUP, group, "g", required);
    }

    private static Vote yes(Approver approver) {
        return new Vote(approver, true);
    }

    private static Vote no(Approver approver) {
        return new Vote(approver, false);
    }

    @Test
    void managerOnly() {
        ApprovalPolicy policy = ApprovalPolicy.managerOnly();
        assertEquals(PENDING, policy.evaluate(REQUESTER, List.of()));
        assertEquals(PENDING, policy.evaluate(REQUESTER, List.of(yes(peer1))), "a peer is not the manager");
        assertEquals(APPROVED, policy.evaluate(REQUESTER, List.of(yes(manager))));
        assertFalse(policy.mayDecide(REQUESTER, peer1));
    }

    @Test
    void groupOnly() {
        ApprovalPolicy policy = policy(group(SRE, 1));
        assertEquals(PENDING, policy.evaluate(REQUESTER, List.of(yes(manager), yes(outsider))));
        assertEquals(APPROVED, policy.evaluate(REQUESTER, List.of(yes(peer1))));
    }

    @Test
    void aPeerAndTheManagerBothNeeded() {
        ApprovalPolicy policy = policy(managerStep(), group(SRE, 1));
        assertEquals(PENDING, policy.evaluate(REQUESTER, List.of(yes(peer1))));
        assertEquals(PENDING, policy.evaluate(REQUESTER, List.of(yes(manager))));
        assertEquals(APPROVED, policy.evaluate(REQUESTER, List.of(yes(peer1), yes(manager))));
        assertEquals(APPROVED, policy.evaluate(REQUESTER, List.of(yes(manager), yes(peer1))), "order does not matter");
    }

    @Test
    void nOfM() {
        ApprovalPolicy policy = policy(group(SRE, 2));
        assertEquals(PENDING, policy.evaluate(REQUESTER, List.of(yes(peer1))));
        assertEquals(PENDING, policy.evaluate(REQUESTER, List.of(yes(peer1), yes(peer1))), "the same person never counts twice");
        assertEquals(APPROVED, policy.evaluate(REQUESTER, List.of(yes(peer1), yes(peer3))));
        assertEquals(APPROVED, policy(group(SRE, 2), new Step(3, Kind.GROUP, SECURITY, "security", 1))
                .evaluate(REQUESTER, List.of(yes(peer1), yes(securityOfficer), yes(peer2))));
    }

    @Test
    void selfApprovalIsRefusedAndDoesNotCount() {
        ApprovalPolicy policy = policy(group(SRE, 1));
        assertFalse(policy.mayDecide(REQUESTER, requesterInSre));
        assertEquals(PENDING, policy.evaluate(REQUESTER, List.of(yes(requesterInSre))));
        assertEquals(PENDING, policy.evaluate(REQUESTER, List.of(no(requesterInSre))), "nor does their own denial");
    }

    @Test
    void anApproverWhoIsAlsoTheManagerFillsOneSlotOnly() {
        ApprovalPolicy policy = policy(managerStep(), group(SRE, 1));
        assertTrue(policy.mayDecide(REQUESTER, managerInSre));
        assertEquals(PENDING, policy.evaluate(REQUESTER, List.of(yes(managerInSre))), "one person, one slot: a second person is needed");
        assertEquals(APPROVED, policy.evaluate(REQUESTER, List.of(yes(managerInSre), yes(peer1))));
        // the best assignment is found whatever the order: the peer takes the group slot, the manager the manager slot
        assertEquals(APPROVED, policy.evaluate(REQUESTER, List.of(yes(peer1), yes(managerInSre))));
        assertEquals(1, policy.progress(REQUESTER, List.of(yes(managerInSre))).values().stream().mapToInt(Integer::intValue).sum());
    }

    @Test
    void aDenialWins() {
        ApprovalPolicy policy = policy(group(SRE, 2));
        assertEquals(DENIED, policy.evaluate(REQUESTER, List.of(yes(peer1), no(peer2))));
        assertEquals(DENIED, policy.evaluate(REQUESTER, List.of(no(peer2), yes(peer1), yes(peer3))));
        assertEquals(PENDING, policy.evaluate(REQUESTER, List.of(yes(peer1), no(outsider))), "a denial only counts from someone who may decide");
    }
}
