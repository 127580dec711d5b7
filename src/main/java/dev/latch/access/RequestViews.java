package dev.latch.access;

import dev.latch.identity.ManagerDelegation;
import dev.latch.identity.User;
import dev.latch.web.TimeFormats;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** What the request and grant pages show; plain values, so templates stay dumb. */
public final class RequestViews {

    private RequestViews() {
    }

    /** {@code starts}: when the grant would start; {@code extendsGrant}: the grant an extension moves; {@code endReason}: see {@link AccessRequest#endReason}. */
    public record RequestRow(UUID id, String requester, String level, String duration, String reason, String ticket, String status,
            String created, String expires, boolean breakGlass, String starts, UUID extendsGrant, String endReason) {

        static RequestRow of(AccessRequest r) {
            return new RequestRow(r.id, r.requester.displayName + " (" + r.requester.username + ")", AccessRequests.levelName(r.level),
                    dev.latch.web.TimeFormats.length(r.duration), r.reason, r.ticketUrl, r.status, TimeFormats.display(r.createdAt),
                    TimeFormats.display(r.expiresAt), r.breakGlass, r.startsAt == null ? "when approved" : TimeFormats.display(r.startsAt),
                    r.extendsGrantId, r.endReason);
        }
    }

    public record StepRow(String who, int filled, int required) {
    }

    /** {@code voided}: why the decision no longer counts, or null; {@code delegateOf}: the manager a delegate decided for, or null. */
    public record DecisionRow(UUID id, String approver, String decision, String comment, String decided, String key, String voided,
            String delegateOf) {
    }

    /**
     * Who acts for a manager step now: "the requester's manager: bob, or carol as bob's delegate
     * until 2026-12-12 09:00 UTC", or that there is none.
     */
    static String managerStep(User requester, Instant now) {
        User manager = requester.managerId == null ? null : User.findById(requester.managerId);
        if (manager == null) {
            return "the requester's manager (" + requester.username + " has none in Latch: an administrator sets it)";
        }
        StringBuilder who = new StringBuilder("the requester's manager: ").append(manager.username);
        for (ManagerDelegation delegation : ManagerDelegation.inForce(manager.id, now)) {
            User delegate = User.findById(delegation.delegateId);
            who.append(", or ").append(delegate.username).append(" as ").append(manager.username).append("'s delegate until ")
                    .append(TimeFormats.display(delegation.until()));
        }
        return who.toString();
    }

    /**
     * A grant as pages show it. {@code ending} is set once it has ended: "Revoked by Bob (bob) at
     * 14:02 UTC: incident over", with {@code endState} its one word ("revoked") for the badge.
     */
    public record GrantRow(UUID id, String holder, String level, String starts, String ends, String endsIso, String remaining,
            boolean active, boolean breakGlass, UUID requestId, UUID levelId, boolean cluster, String endState, String ending) {

        static GrantRow of(AccessGrant g, Instant now) {
            GrantEnding ending = GrantEnding.of(g, now, RequestViews::name);
            return new GrantRow(g.id, g.user.username, AccessRequests.levelName(g.level), TimeFormats.display(g.startsAt),
                    TimeFormats.display(g.endsAt), g.endsAt.toString(), TimeFormats.countdown(Duration.between(now, g.endsAt), "ended"), g.isActive(now),
                    g.breakGlass, g.requestId, g.level.id, g.level.cluster != null, ending == null ? null : ending.kind().word(),
                    ending == null ? null : ending.sentence(now));
        }

        public boolean ended() {
            return ending != null;
        }
    }

    static List<GrantRow> grants(List<AccessGrant> grants, Instant now) {
        return grants.stream().map(g -> GrantRow.of(g, now)).toList();
    }

    static String name(User user) {
        return user == null ? "someone" : user.displayName + " (" + user.username + ")";
    }
}
