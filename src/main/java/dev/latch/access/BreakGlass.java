package dev.latch.access;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latch.audit.AuditEntry;
import dev.latch.audit.AuditLog;
import dev.latch.identity.User;
import dev.latch.inventory.AccessLevel;
import dev.latch.web.ProblemException;
import dev.latch.web.TimeFormats;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Break-glass: a member of the configured group takes a level at once, without approval, loudly.
 * Only on levels marked break-glass-able, only with a key touch made within the step-up
 * freshness, with a reason, and for a positive duration up to
 * {@code latch.access.break-glass-max-duration}. Every refusal is audited ({@code grant.break_glass},
 * outcome denied) in a transaction of its own, so the refusal's rollback keeps it.
 */
@ApplicationScoped
public class BreakGlass {

    private final Grants grants;
    private final AccessNotices notices;
    private final AccessConfig config;
    private final AuditLog audit;
    private final ObjectMapper json;
    private final EntityManager em;
    private final Clock clock;

    public BreakGlass(Grants grants, AccessNotices notices, AccessConfig config, AuditLog audit, ObjectMapper json, EntityManager em,
            Clock clock) {
        this.grants = grants;
        this.notices = notices;
        this.config = config;
        this.audit = audit;
        this.json = json;
        this.em = em;
        this.clock = clock;
    }

    /**
     * Activates break-glass. {@code duration} as typed (30m, 1h…; empty: the maximum);
     * {@code freshTouch}: the session's last key assertion is within the step-up freshness.
     */
    @Transactional
    public AccessGrant activate(User signedIn, UUID levelId, String duration, String reason, boolean freshTouch) {
        User user;
        AccessLevel level;
        Duration length;
        String why = reason == null ? "" : reason.trim();
        try {
            user = User.findById(signedIn.id); // as it is now
            level = levelId == null ? null : AccessLevel.findById(levelId);
            length = check(user, level, duration, why, freshTouch);
        } catch (ProblemException refused) {
            // before this transaction writes any audit entry: the chain lock is held until commit
            audit.recordRefusal(AuditEntry.of("grant.break_glass")
                    .byUser(signedIn.id.toString(), signedIn.username).on("access_level", levelId).denied(refused.detail())
                    .detail("code", refused.code()).detail("duration", duration).detail("break_glass_reason", why));
            throw refused;
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        AccessRequest request = new AccessRequest();
        request.id = UUID.randomUUID();
        request.requester = user;
        request.level = level;
        request.duration = length;
        request.reason = why;
        request.status = AccessRequest.APPROVED;
        request.breakGlass = true;
        request.policyJson = write(new ApprovalPolicy(List.of()));
        request.createdAt = now;
        request.expiresAt = now;
        request.decidedAt = now;
        request.persist();
        AccessGrant grant = grants.create(request, now);
        notices.breakGlassUsed(grant, request, alerted(user, level));
        return grant;
    }

    /** Whether the level allows break-glass at all: what the request form offers. */
    public boolean offeredOn(AccessLevel level) {
        return config.breakGlassGroup().isPresent() && level.breakGlass;
    }

    private Duration check(User user, AccessLevel level, String duration, String why, boolean freshTouch) {
        String group = config.breakGlassGroup().orElseThrow(() -> ProblemException.forbidden("break-glass-off",
                "Break-glass is not set up on this portal."));
        boolean member = user != null && em.createQuery("select count(m) from GroupMembership m, Group g where g.id = m.key.groupId "
                + "and g.name = ?1 and m.key.userId = ?2", Long.class).setParameter(1, group).setParameter(2, user.id).getSingleResult() > 0;
        if (!member || !user.isActive()) {
            throw ProblemException.forbidden("not-break-glass", "Only members of " + group + " may use break-glass.");
        }
        if (level == null) {
            throw ProblemException.notFound("No access level with this id.");
        }
        if (!level.breakGlass) {
            throw ProblemException.forbidden("not-break-glass-level", AccessRequests.levelName(level)
                    + " does not allow break-glass. Request it; an administrator can mark a level for break-glass.");
        }
        if (why.length() < 3 || why.length() > 1000) {
            throw ProblemException.badRequest("reason-required", "Break-glass needs a reason (3 to 1,000 characters): say what is on fire.");
        }
        Duration max = config.breakGlassMaxDuration();
        Duration length = duration == null || duration.isBlank() ? max : Durations.parse(duration);
        if (length.isNegative() || length.isZero()) {
            throw ProblemException.badRequest("duration-invalid", "Give a duration above zero, e.g. 30m.");
        }
        if (length.compareTo(max) > 0) {
            throw ProblemException.badRequest("duration-too-long", "Break-glass lasts at most " + TimeFormats.length(max) + ".");
        }
        if (!freshTouch) {
            throw ProblemException.stepUpRequired("Touch your security key to activate break-glass.");
        }
        return length;
    }

    /**
     * Who hears of a break-glass on a level: the person's manager, every approver in the policies
     * of the level's requestable entitlements, and the administrators.
     */
    private List<User> alerted(User user, AccessLevel level) {
        Set<User> people = new LinkedHashSet<>();
        if (user.managerId != null) {
            User manager = User.findById(user.managerId);
            if (manager != null) {
                people.add(manager);
            }
        }
        people.addAll(em.createQuery("""
                select distinct u from User u, GroupMembership m, dev.latch.inventory.ApprovalStep s, dev.latch.inventory.Entitlement e
                where m.key.userId = u.id and m.key.groupId = s.approverGroupId and s.entitlementId = e.id
                  and e.accessLevelId = ?1 and e.mode = 'requestable'""", User.class).setParameter(1, level.id).getResultList());
        people.addAll(User.<User>list("admin = true and status = 'active'"));
        people.removeIf(u -> u.id.equals(user.id) || !u.isActive());
        return List.copyOf(people);
    }

    private String write(ApprovalPolicy policy) {
        try {
            return json.writeValueAsString(policy);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
