package dev.latch.access;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * An approval policy: steps that must all pass, each naming who may approve (the requester's
 * manager, or members of a group) and how many distinct approvals it needs. Plain rules:
 * <ul>
 *   <li>nobody decides their own request;</li>
 *   <li>one person counts once, for one step, even when they qualify for several (the manager who
 *       is also in the approver group fills one slot, never two);</li>
 *   <li>a single denial by someone who may decide ends the request;</li>
 *   <li>the request is approved when distinct approvers can fill every slot of every step (a
 *       bipartite matching, so the order of approvals never matters).</li>
 * </ul>
 */
public record ApprovalPolicy(List<Step> steps) {

    public enum Kind { MANAGER, GROUP }

    /** One step: {@code required} distinct approvals from the manager or from a group's members. */
    public record Step(int position, Kind kind, UUID groupId, String groupName, int required) {

        boolean admits(Approver approver) {
            return kind == Kind.MANAGER ? approver.requestersManager() : approver.groups().contains(groupId);
        }

        public String describe() {
            return kind == Kind.MANAGER ? "the requester's manager" : (required == 1 ? "a member of " : required + " members of ") + groupName;
        }
    }

    /** Someone deciding, as seen from one request. */
    public record Approver(UUID id, boolean requestersManager, Set<UUID> groups) {
    }

    public record Vote(Approver approver, boolean approve) {
    }

    public enum Outcome { PENDING, APPROVED, DENIED }

    /** A requestable entitlement without steps needs its requester's manager. */
    public static ApprovalPolicy managerOnly() {
        return new ApprovalPolicy(List.of(new Step(1, Kind.MANAGER, null, null, 1)));
    }

    /** Whether this person may decide the request at all. */
    public boolean mayDecide(UUID requesterId, Approver approver) {
        return !approver.id().equals(requesterId) && steps.stream().anyMatch(s -> s.admits(approver));
    }

    public Outcome evaluate(UUID requesterId, List<Vote> votes) {
        Map<UUID, Vote> counted = new LinkedHashMap<>();
        for (Vote vote : votes) {
            if (mayDecide(requesterId, vote.approver())) {
                counted.putIfAbsent(vote.approver().id(), vote);
            }
        }
        if (counted.values().stream().anyMatch(v -> !v.approve())) {
            return Outcome.DENIED;
        }
        List<Approver> approvers = counted.values().stream().map(Vote::approver).toList();
        return filled(approvers) == slots().size() ? Outcome.APPROVED : Outcome.PENDING;
    }

    /** Per step, how many of its slots the approvals so far fill in the best assignment. */
    public Map<Step, Integer> progress(UUID requesterId, List<Vote> votes) {
        List<Approver> approvers = votes.stream().filter(Vote::approve).map(Vote::approver)
                .filter(a -> mayDecide(requesterId, a)).distinct().toList();
        List<Step> slots = slots();
        int[] slotOwner = assign(approvers, slots);
        Map<Step, Integer> filled = new LinkedHashMap<>();
        steps.forEach(s -> filled.put(s, 0));
        for (int slot = 0; slot < slots.size(); slot++) {
            if (slotOwner[slot] >= 0) {
                filled.merge(slots.get(slot), 1, Integer::sum);
            }
        }
        return filled;
    }

    private List<Step> slots() {
        List<Step> slots = new ArrayList<>();
        for (Step step : steps) {
            for (int i = 0; i < step.required(); i++) {
                slots.add(step);
            }
        }
        return slots;
    }

    private int filled(List<Approver> approvers) {
        return (int) Arrays.stream(assign(approvers, slots())).filter(owner -> owner >= 0).count();
    }

    /** Maximum matching of approvers to slots (augmenting paths; policies are small). */
    private static int[] assign(List<Approver> approvers, List<Step> slots) {
        int[] slotOwner = new int[slots.size()];
        Arrays.fill(slotOwner, -1);
        for (int a = 0; a < approvers.size(); a++) {
            augment(a, approvers, slots, slotOwner, new boolean[slots.size()]);
        }
        return slotOwner;
    }

    private static boolean augment(int approver, List<Approver> approvers, List<Step> slots, int[] slotOwner, boolean[] seen) {
        for (int slot = 0; slot < slots.size(); slot++) {
            if (seen[slot] || !slots.get(slot).admits(approvers.get(approver))) {
                continue;
            }
            seen[slot] = true;
            if (slotOwner[slot] < 0 || augment(slotOwner[slot], approvers, slots, slotOwner, seen)) {
                slotOwner[slot] = approver;
                return true;
            }
        }
        return false;
    }
}
