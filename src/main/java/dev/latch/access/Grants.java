package dev.latch.access;

import dev.latch.audit.AuditEntry;
import dev.latch.audit.AuditLog;
import dev.latch.identity.User;
import dev.latch.identity.UserDisabled;
import dev.latch.inventory.AccessLevel;
import dev.latch.inventory.EntitlementResolver;
import dev.latch.inventory.LevelAccess;
import dev.latch.web.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Grants: made when a request is approved (or break-glass is used), ended by time, by their
 * holder, or by an administrator or approver. Ending one stops its token mints at once (every mint
 * checks the grant) and ends its kubeconfigs; the broker's cached AWS sessions are keyed by the
 * grant and check its row at every use, so the database row is what stops them, on every replica.
 */
@ApplicationScoped
public class Grants {

    private final LevelAccess levelAccess;
    private final AuditLog audit;
    private final AccessNotices notices;
    private final EntityManager em;
    private final Clock clock;

    public Grants(LevelAccess levelAccess, AuditLog audit, AccessNotices notices, EntityManager em, Clock clock) {
        this.levelAccess = levelAccess;
        this.audit = audit;
        this.notices = notices;
        this.em = em;
        this.clock = clock;
    }

    /** How a person may use a level now: standing access (with its maximum), or an active grant (until its end). */
    public record Use(EntitlementResolver.Access standing, AccessGrant grant) {

        /** When what is handed out for this use must end, at the latest. */
        public Instant endsAt(Instant now) {
            return grant != null ? grant.endsAt : now.plus(standing.maxDuration());
        }
    }

    /** The person's use of the level now: standing access wins; otherwise their active grant; otherwise none. */
    @Transactional
    public Optional<Use> use(User user, AccessLevel level) {
        Optional<EntitlementResolver.Access> access = levelAccess.of(user, level.id);
        if (access.filter(a -> a.mode() == EntitlementResolver.Mode.STANDING).isPresent()) {
            return Optional.of(new Use(access.get(), null));
        }
        return user.isActive() ? active(user.id, level.id).map(g -> new Use(null, g)) : Optional.empty();
    }

    /** Like {@link #use}, or the 403 that says what to do instead (ask an administrator, or request it). */
    @Transactional(dontRollbackOn = ProblemException.class) // the caller audits the refusal (in a transaction of its own)
    public Use requireUse(User user, AccessLevel level, String what) {
        Optional<EntitlementResolver.Access> access = levelAccess.of(user, level.id);
        if (access.filter(a -> a.mode() == EntitlementResolver.Mode.STANDING).isPresent()) {
            return new Use(access.get(), null);
        }
        Optional<AccessGrant> grant = user.isActive() ? active(user.id, level.id) : Optional.empty();
        return grant.map(g -> new Use(null, g)).orElseThrow(() -> refusal(user, level, access, what));
    }

    /** A grant that ended lately is the reason to give, with who ended it and why; else what the entitlements say. */
    private ProblemException refusal(User user, AccessLevel level, Optional<EntitlementResolver.Access> access, String what) {
        Instant now = clock.instant();
        Optional<AccessGrant> ended = recentlyEnded(user.id).stream().filter(g -> g.level.id.equals(level.id)).findFirst();
        if (ended.isEmpty()) {
            return LevelAccess.refusal(access, what);
        }
        GrantEnding ending = GrantEnding.of(ended.get(), now, u -> u.username);
        return ProblemException.forbidden("grant-ended", "Your grant for " + what + " " + ending.clause(now) + ". "
                + (access.isPresent() ? "Request it again in the portal if you still need it." : "Ask your Latch administrator if you need it."));
    }

    /** How long an ended grant is still shown, and named in refusals, before it is just history. */
    static final java.time.Duration RECENT = java.time.Duration.ofDays(1);

    /** Grants of a person that ended within the last day (however they ended), the latest first. */
    @Transactional
    public List<AccessGrant> recentlyEnded(UUID userId) {
        Instant now = clock.instant();
        return AccessGrant.<AccessGrant>find("""
                from AccessGrant g join fetch g.level l left join fetch l.cluster left join fetch l.account join fetch g.user
                where g.user.id = ?1 and g.endedAt is not null and g.endedAt > ?2 order by g.endedAt desc""", userId, now.minus(RECENT)).list();
    }

    /** The person's grant on the level that is usable now (the one ending last), if any. */
    @Transactional
    public Optional<AccessGrant> active(UUID userId, UUID levelId) {
        Instant now = clock.instant();
        return AccessGrant.<AccessGrant>find("""
                user.id = ?1 and level.id = ?2 and endedAt is null and startsAt <= ?3 and endsAt > ?3 order by endsAt desc""",
                userId, levelId, now).firstResultOptional();
    }

    /** Grants of a person that are active or still to start. */
    @Transactional
    public List<AccessGrant> live(UUID userId) {
        return AccessGrant.<AccessGrant>find("""
                from AccessGrant g join fetch g.level l left join fetch l.cluster left join fetch l.account join fetch g.user
                where g.user.id = ?1 and g.endedAt is null and g.endsAt > ?2 order by g.endsAt""", userId, clock.instant()).list();
    }

    /** Every live grant (administrators). */
    @Transactional
    public List<AccessGrant> liveForEveryone() {
        return AccessGrant.<AccessGrant>find("""
                from AccessGrant g join fetch g.level l left join fetch l.cluster left join fetch l.account join fetch g.user
                where g.endedAt is null and g.endsAt > ?1 order by g.endsAt""", clock.instant()).list();
    }

    /** The grant of an approved request; joins the decision's transaction. */
    @Transactional
    AccessGrant create(AccessRequest request, Instant now) {
        Instant start = request.startsAt != null && request.startsAt.isAfter(now) ? request.startsAt : now;
        AccessGrant grant = new AccessGrant();
        grant.id = UUID.randomUUID();
        grant.requestId = request.id;
        grant.user = request.requester;
        grant.level = request.level;
        grant.startsAt = start.truncatedTo(ChronoUnit.SECONDS);
        grant.endsAt = grant.startsAt.plus(request.duration);
        grant.breakGlass = request.breakGlass;
        grant.createdAt = now;
        grant.persist();
        audit.record(AuditEntry.of(request.breakGlass ? "grant.break_glass" : "grant.created")
                .byUser(request.requester.id.toString(), request.requester.username).on("access_grant", grant.id)
                .detail("request", request.id).detail("level", AccessRequests.levelName(request.level))
                .detail("starts_at", grant.startsAt.toString()).detail("ends_at", grant.endsAt.toString()));
        return grant;
    }

    /** An approved extension moves the grant's end (and its kubeconfigs') by the requested duration. */
    @Transactional
    void extend(AccessGrant grant, AccessRequest extension, Instant now) {
        Instant from = grant.endsAt.isAfter(now) ? grant.endsAt : now;
        grant.endsAt = from.plus(extension.duration).truncatedTo(ChronoUnit.SECONDS);
        grant.warnedAt = null;
        em.createQuery("update Issuance i set i.expiresAt = ?1 where i.grantId = ?2 and i.revokedAt is null")
                .setParameter(1, grant.endsAt).setParameter(2, grant.id).executeUpdate();
        audit.record(AuditEntry.of("grant.extended").byUser(extension.requester.id.toString(), extension.requester.username)
                .on("access_grant", grant.id).detail("request", extension.id).detail("ends_at", grant.endsAt.toString()));
    }

    /** The holder ends their own grant early. */
    @Transactional
    public AccessGrant endEarly(UUID grantId, User holder) {
        AccessGrant grant = AccessGrant.findById(grantId, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        if (grant == null || !grant.user.id.equals(holder.id)) {
            throw ProblemException.notFound("You have no grant with this id.");
        }
        end(grant, holder, "ended early", "grant.ended_early");
        return grant;
    }

    /** An administrator, or someone who may decide requests for the level, revokes a grant. */
    @Transactional
    public AccessGrant revoke(UUID grantId, User actor, boolean mayRevoke, String reason) {
        AccessGrant grant = AccessGrant.findById(grantId, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        if (grant == null) {
            throw ProblemException.notFound("No grant with this id.");
        }
        if (!mayRevoke) {
            throw ProblemException.forbidden("not-an-approver", "Only administrators and the approvers of this access can revoke it.");
        }
        end(grant, actor, reason == null || reason.isBlank() ? GrantEnding.NO_REASON : reason.trim(), "grant.revoked");
        return grant;
    }

    /**
     * Ends every grant whose time is up. Safe on any number of replicas: the UPDATE claims each
     * row once (a second instance waits on the row lock, then finds it already ended).
     */
    @Transactional
    public List<UUID> expireDue() {
        Instant now = clock.instant();
        @SuppressWarnings("unchecked")
        List<UUID> ended = em.createNativeQuery("""
                UPDATE access_grant SET ended_at = ?1, end_reason = 'expired'
                WHERE ended_at IS NULL AND ends_at <= ?1 RETURNING id""").setParameter(1, now).getResultList();
        for (UUID id : ended) {
            AccessGrant grant = AccessGrant.findById(id);
            afterEnd(grant, "expired");
            audit.record(AuditEntry.of("grant.expired").bySystem("grant-expiry").on("access_grant", id)
                    .detail("user", grant.user.username).detail("level", AccessRequests.levelName(grant.level)));
            notices.grantEnded(grant, GrantEnding.of(grant, now, u -> u.username).clause(now));
        }
        return ended;
    }

    /** Warns holders whose grant ends within the warning window; once per grant (and again after an extension). */
    @Transactional
    public int warnEndingSoon(java.time.Duration window) {
        Instant now = clock.instant();
        @SuppressWarnings("unchecked")
        List<UUID> due = em.createNativeQuery("""
                UPDATE access_grant SET warned_at = ?1
                WHERE ended_at IS NULL AND warned_at IS NULL AND ends_at > ?1 AND ends_at <= ?2 AND starts_at <= ?1 RETURNING id""")
                .setParameter(1, now).setParameter(2, now.plus(window)).getResultList();
        for (UUID id : due) {
            notices.grantEndingSoon(AccessGrant.findById(id));
        }
        return due.size();
    }

    /** Offboarding: a disabled person's grants end with the disabling. */
    void onUserDisabled(@Observes UserDisabled event) {
        em.createNativeQuery("UPDATE access_grant SET ended_at = ?1, end_reason = 'account disabled' WHERE user_id = ?2 AND ended_at IS NULL")
                .setParameter(1, clock.instant()).setParameter(2, event.userId()).executeUpdate();
    }

    private void end(AccessGrant grant, User actor, String reason, String action) {
        if (grant.endedAt != null) {
            throw new ProblemException(409, "grant-ended", "Already ended", "This grant was already "
                    + GrantEnding.of(grant, clock.instant(), u -> u.username).describe(clock.instant()) + ".");
        }
        grant.endedAt = clock.instant();
        grant.endedBy = actor.id;
        grant.endReason = reason;
        afterEnd(grant, reason);
        audit.record(AuditEntry.of(action).byUser(actor.id.toString(), actor.username).on("access_grant", grant.id)
                .detail("holder", grant.user.username).detail("level", AccessRequests.levelName(grant.level)).detail("reason", reason));
        notices.grantEnded(grant, GrantEnding.of(grant, grant.endedAt, u -> u.username).clause(grant.endedAt));
    }

    /** Kubeconfigs of the grant end with it (its cached role sessions stop at their next use: they read this row). */
    private void afterEnd(AccessGrant grant, String reason) {
        em.createQuery("update Issuance i set i.revokedAt = ?1, i.revokeReason = ?2 where i.grantId = ?3 and i.revokedAt is null")
                .setParameter(1, grant.endedAt).setParameter(2, "grant " + reason).setParameter(3, grant.id).executeUpdate();
    }
}
