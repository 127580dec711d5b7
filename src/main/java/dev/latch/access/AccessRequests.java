package dev.latch.access;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latch.audit.AuditEntry;
import dev.latch.audit.AuditLog;
import dev.latch.identity.Group;
import dev.latch.identity.Managers;
import dev.latch.identity.User;
import dev.latch.inventory.AccessLevel;
import dev.latch.inventory.ApprovalStep;
import dev.latch.inventory.Entitlement;
import dev.latch.inventory.EntitlementResolver;
import dev.latch.inventory.LevelAccess;
import dev.latch.support.Secrets;
import dev.latch.web.ProblemException;
import dev.latch.web.TimeFormats;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Requests for requestable levels and their decisions. A request copies its entitlement's policy;
 * each decision is checked against it under a row lock on the request, so two approvers acting at
 * once yield one outcome and at most one grant.
 */
@ApplicationScoped
public class AccessRequests {

    private final LevelAccess levelAccess;
    private final Managers managers;
    private final Grants grants;
    private final AccessNotices notices;
    private final AccessConfig config;
    private final AuditLog audit;
    private final DecisionRefusals refusals;
    private final ObjectMapper json;
    private final EntityManager em;
    private final Clock clock;

    public AccessRequests(LevelAccess levelAccess, Managers managers, Grants grants, AccessNotices notices, AccessConfig config, AuditLog audit,
            DecisionRefusals refusals, ObjectMapper json, EntityManager em, Clock clock) {
        this.refusals = refusals;
        this.levelAccess = levelAccess;
        this.managers = managers;
        this.grants = grants;
        this.notices = notices;
        this.config = config;
        this.audit = audit;
        this.json = json;
        this.em = em;
        this.clock = clock;
    }

    /** What someone asks for. {@code startsAt} null: when approved. */
    public record Ask(UUID levelId, Duration duration, String reason, String ticketUrl, Instant startsAt, UUID extendsGrantId) {
    }

    /** Files a request; refuses what no entitlement makes requestable for this person. */
    @Transactional
    public AccessRequest create(User signedIn, Ask ask) {
        // share-locked as it is now: a disabling that commits first is seen here; one that comes later ends this request
        User requester = em.find(User.class, signedIn.id, LockModeType.PESSIMISTIC_READ);
        if (requester == null || !requester.isActive()) {
            throw ProblemException.forbidden("user-disabled", "This Latch account is disabled.");
        }
        AccessLevel level = ask.levelId() == null ? null : AccessLevel.findById(ask.levelId());
        if (level == null) {
            throw ProblemException.notFound("No access level with this id.");
        }
        String what = levelName(level);
        Optional<EntitlementResolver.Access> access = levelAccess.of(requester, level.id);
        if (access.isEmpty()) {
            throw ProblemException.forbidden("not-requestable", "Nothing makes " + what + " requestable for you. Ask your Latch administrator.");
        }
        if (access.get().mode() == EntitlementResolver.Mode.STANDING) {
            throw new ProblemException(409, "already-standing", "You already have it", "You hold " + what + " already; no request needed.");
        }
        Entitlement entitlement = requestableEntitlement(requester, level).orElseThrow();
        Duration duration = ask.duration();
        if (duration == null || duration.isNegative() || duration.compareTo(Duration.ofMinutes(5)) < 0) {
            throw ProblemException.badRequest("duration-invalid", "Ask for at least 5 minutes.");
        }
        if (duration.compareTo(access.get().maxDuration()) > 0) {
            throw ProblemException.badRequest("duration-too-long", "You may ask for " + what + " for at most "
                    + TimeFormats.length(access.get().maxDuration()) + ".");
        }
        String reason = ask.reason() == null ? "" : ask.reason().trim();
        if (reason.length() < 3 || reason.length() > 1000) {
            throw ProblemException.badRequest("reason-required", "Say why you need it (3 to 1,000 characters), e.g. the incident or ticket.");
        }
        String ticket = ask.ticketUrl() == null || ask.ticketUrl().isBlank() ? null : ask.ticketUrl().trim();
        if (ticket != null && !(ticket.startsWith("https://") || ticket.startsWith("http://"))) {
            throw ProblemException.badRequest("ticket-invalid", "The ticket link must be an http(s) address.");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        if (ask.startsAt() != null && (ask.startsAt().isBefore(now.minusSeconds(60)) || ask.startsAt().isAfter(now.plus(config.maxStartDelay())))) {
            throw ProblemException.badRequest("start-invalid", "The start must be now or within " + TimeFormats.length(config.maxStartDelay()) + ".");
        }
        if (AccessRequest.count("requester.id = ?1 and level.id = ?2 and status = ?3", requester.id, level.id, AccessRequest.PENDING) > 0) {
            throw new ProblemException(409, "request-open", "Already requested",
                    "You already have an open request for " + what + ". Wait for its decision or cancel it.");
        }
        AccessRequest request = new AccessRequest();
        request.id = UUID.randomUUID();
        request.requester = requester;
        request.level = level;
        request.entitlementId = entitlement.id;
        request.duration = duration;
        request.reason = reason;
        request.ticketUrl = ticket;
        request.startsAt = ask.startsAt();
        request.status = AccessRequest.PENDING;
        request.extendsGrantId = ask.extendsGrantId();
        request.policyJson = write(policyOf(entitlement));
        request.createdAt = now;
        request.expiresAt = now.plus(config.requestTtl());
        request.persist();
        em.flush(); // the partial unique index settles a race between two identical requests here
        audit.record(AuditEntry.of("request.created").byUser(requester.id.toString(), requester.username).on("access_request", request.id)
                .detail("level", what).detail("duration", duration.toString()).detail("reason", reason)
                .detail("ticket", ticket).detail("extends", ask.extendsGrantId()));
        notices.requestCreated(request, approvers(request));
        return request;
    }

    /** An extension: the same level and policy, pre-filled from a live grant of the person. */
    @Transactional
    public AccessRequest extend(User holder, UUID grantId, Duration duration, String reason) {
        AccessGrant grant = AccessGrant.findById(grantId);
        if (grant == null || !grant.user.id.equals(holder.id) || grant.endedAt != null) {
            throw ProblemException.notFound("You have no live grant with this id.");
        }
        return create(holder, new Ask(grant.level.id, duration, reason, null, null, grant.id));
    }

    @Transactional
    public AccessRequest cancel(UUID requestId, User requester) {
        AccessRequest request = AccessRequest.findById(requestId, LockModeType.PESSIMISTIC_WRITE);
        if (request == null || !request.requester.id.equals(requester.id)) {
            throw ProblemException.notFound("You have no request with this id.");
        }
        requirePending(request);
        request.status = AccessRequest.CANCELLED;
        request.decidedAt = clock.instant();
        audit.record(AuditEntry.of("request.cancelled").byUser(requester.id.toString(), requester.username).on("access_request", request.id));
        return request;
    }

    /** The policy a request was filed under. */
    public ApprovalPolicy policy(AccessRequest request) {
        try {
            return json.readValue(request.policyJson, ApprovalPolicy.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable policy of request " + request.id, e);
        }
    }

    /** A person as a decider of this request. */
    public ApprovalPolicy.Approver approver(AccessRequest request, User person) {
        return approver(request, person, groupsOf(person));
    }

    private ApprovalPolicy.Approver approver(AccessRequest request, User person, Set<UUID> groups) {
        return new ApprovalPolicy.Approver(person.id, managers.actingManagerIds(request.requester, clock.instant()).contains(person.id), groups);
    }

    private Set<UUID> groupsOf(User person) {
        return new HashSet<>(em.createQuery("select m.key.groupId from GroupMembership m where m.key.userId = ?1", UUID.class)
                .setParameter(1, person.id).getResultList());
    }

    public boolean mayDecide(AccessRequest request, User person) {
        return person.isActive() && policy(request).mayDecide(request.requester.id, approver(request, person));
    }

    /** Everyone who may decide a request: its requester's manager and the members of its approver groups. */
    @Transactional
    public List<User> approvers(AccessRequest request) {
        ApprovalPolicy policy = policy(request);
        Set<User> people = new LinkedHashSet<>();
        boolean manager = policy.steps().stream().anyMatch(s -> s.kind() == ApprovalPolicy.Kind.MANAGER);
        if (manager) {
            for (UUID id : managers.actingManagerIds(request.requester, clock.instant())) {
                User found = User.findById(id);
                if (found != null) {
                    people.add(found);
                }
            }
        }
        for (ApprovalPolicy.Step step : policy.steps()) {
            if (step.kind() == ApprovalPolicy.Kind.GROUP) {
                people.addAll(em.createQuery("select u from User u, GroupMembership m where m.key.userId = u.id and m.key.groupId = ?1",
                        User.class).setParameter(1, step.groupId()).getResultList());
            }
        }
        people.removeIf(u -> u.id.equals(request.requester.id) || !u.isActive());
        return List.copyOf(people);
    }

    /** Pending requests this person may still decide: their inbox. */
    @Transactional
    public List<AccessRequest> inbox(User person) {
        if (!person.isActive()) {
            return List.of();
        }
        Set<UUID> decided = new HashSet<>(em.createQuery("select d.requestId from AccessDecision d where d.approverId = ?1", UUID.class)
                .setParameter(1, person.id).getResultList());
        Set<UUID> groups = groupsOf(person); // once, not per request: the inbox is polled every few seconds
        return AccessRequest.<AccessRequest>find("""
                from AccessRequest r join fetch r.requester join fetch r.level l left join fetch l.cluster left join fetch l.account
                where r.status = ?1 and r.expiresAt > ?2 order by r.createdAt""", AccessRequest.PENDING, clock.instant()).list()
                .stream().filter(r -> !decided.contains(r.id)
                        && policy(r).mayDecide(r.requester.id, approver(r, person, groups))).toList();
    }

    @Transactional
    public List<AccessRequest> mine(User person) {
        return AccessRequest.<AccessRequest>find("""
                from AccessRequest r join fetch r.level l left join fetch l.cluster left join fetch l.account
                where r.requester.id = ?1 order by r.createdAt desc""", person.id).page(0, 50).list();
    }

    @Transactional
    public List<AccessDecision> decisions(UUID requestId) {
        return AccessDecision.<AccessDecision>list("requestId = ?1 order by decidedAt", requestId);
    }

    /**
     * The votes that count: not void, and cast by someone still active. Disabling voids a person's
     * votes on open requests ({@link RequestOffboarding}); the second condition also covers a
     * person disabled in any other way.
     */
    public List<ApprovalPolicy.Vote> votes(AccessRequest request) {
        return decisions(request.id).stream().filter(d -> !d.isVoid())
                .map(d -> Map.entry(d, User.<User>findById(d.approverId)))
                .filter(e -> e.getValue() != null && e.getValue().isActive())
                .map(e -> new ApprovalPolicy.Vote(asCast(request, e.getKey(), approver(request, e.getValue())), e.getKey().approves())).toList();
    }

    /**
     * A vote a delegate cast for the requester's manager keeps counting as the manager's after the
     * delegation ends, as long as that person is still the requester's manager: it was signed while
     * the delegate acted.
     */
    private static ApprovalPolicy.Approver asCast(AccessRequest request, AccessDecision decision, ApprovalPolicy.Approver now) {
        boolean forManager = decision.asDelegateOf != null && decision.asDelegateOf.equals(request.requester.managerId);
        return forManager && !now.requestersManager() ? new ApprovalPolicy.Approver(now.id(), true, now.groups()) : now;
    }

    // --- decisions ---------------------------------------------------------------------------

    /** What the approver's key signs: the nonce and the request's canonical content. */
    public record Challenge(byte[] nonce, String canonical, byte[] challenge) {
    }

    /** Prepares a decision: checks the person may decide now and computes the challenge. A refusal is audited. */
    @Transactional
    public Challenge challenge(UUID requestId, User approver, String decision) {
        try {
            AccessRequest request = AccessRequest.findById(requestId);
            if (request == null) {
                throw ProblemException.notFound("No request with this id.");
            }
            User person = User.findById(approver.id); // as it is now, not as the session filter saw it
            if (person == null) {
                throw new ProblemException(403, "approver-disabled", "Account disabled", "Your Latch account no longer exists.");
            }
            checkMayDecide(request, person, decision);
            byte[] nonce = Secrets.randomBytes(32);
            String canonical = DecisionEvidence.canonical(DecisionEvidence.CURRENT, request, decision, person);
            return new Challenge(nonce, canonical, DecisionEvidence.challengeOf(nonce, canonical));
        } catch (ProblemException refused) {
            refusals.record(requestId, approver, decision, refused);
            throw refused;
        }
    }

    /** The evidence of a verified key assertion over {@link #challenge}. */
    public record Evidence(byte[] nonce, String canonical, String assertionRequest, String assertionResponse, UUID credentialId) {
    }

    /**
     * Records a decision whose assertion was verified, and settles the request when the policy
     * says so. Under a row lock: the request must still be pending and say exactly what was signed.
     */
    @Transactional
    public AccessRequest decide(UUID requestId, User approver, String decision, String comment, Evidence evidence) {
        AccessRequest request;
        User person;
        try {
            person = lockPeople(requestId, approver.id);
            request = AccessRequest.findById(requestId, LockModeType.PESSIMISTIC_WRITE);
            if (request == null) {
                throw ProblemException.notFound("No request with this id.");
            }
            checkMayDecide(request, person, decision);
            if (!request.requester.isActive()) {
                throw new ProblemException(409, "request-decided", "Already decided", "The requester's account is disabled; the request is over.");
            }
            if (!DecisionEvidence.canonical(DecisionEvidence.CURRENT, request, decision, person).equals(evidence.canonical())) {
                throw new ProblemException(409, "request-changed", "Request changed", "The request is not what your key signed. Reload and decide again.");
            }
        } catch (ProblemException refused) {
            refusals.record(requestId, approver, decision, refused); // before this transaction writes any audit entry
            throw refused;
        }
        Instant now = clock.instant();
        AccessDecision record = new AccessDecision();
        record.id = UUID.randomUUID();
        record.requestId = request.id;
        record.approverId = person.id;
        record.decision = decision;
        record.comment = comment == null || comment.isBlank() ? null : comment.trim();
        record.nonce = evidence.nonce();
        record.canonicalContent = evidence.canonical();
        record.evidenceVersion = DecisionEvidence.CURRENT;
        record.assertionRequest = evidence.assertionRequest();
        record.assertionResponse = evidence.assertionResponse();
        record.credentialId = evidence.credentialId();
        record.decidedAt = now;
        record.asDelegateOf = managers.delegatedBy(request.requester, person, now).orElse(null);
        record.persist();
        audit.record(AuditEntry.of("request." + (record.approves() ? "approved_by" : "denied_by")).byUser(person.id.toString(), person.username)
                .on("access_request", request.id).detail("requester", request.requester.username).detail("comment", record.comment)
                .detail("decision", record.id).detail("as_delegate_of", record.asDelegateOf));

        ApprovalPolicy.Outcome outcome = policy(request).evaluate(request.requester.id, votes(request));
        if (outcome == ApprovalPolicy.Outcome.PENDING) {
            return request;
        }
        request.status = outcome == ApprovalPolicy.Outcome.APPROVED ? AccessRequest.APPROVED : AccessRequest.DENIED;
        request.decidedAt = now;
        audit.record(AuditEntry.of("request." + request.status).bySystem("approval-policy").on("access_request", request.id)
                .detail("requester", request.requester.username).detail("level", levelName(request.level)));
        if (outcome == ApprovalPolicy.Outcome.APPROVED) {
            AccessGrant extended = request.extendsGrantId == null ? null : AccessGrant.findById(request.extendsGrantId);
            if (extended != null && extended.endedAt == null) {
                grants.extend(extended, request, now);
            } else {
                grants.create(request, now);
            }
        }
        notices.requestDecided(request);
        return request;
    }

    /** Ends undecided requests after their time (24 h by default); each once, on any number of replicas. */
    @Transactional
    public List<UUID> expireUndecided() {
        Instant now = clock.instant();
        @SuppressWarnings("unchecked")
        List<UUID> expired = em.createNativeQuery("""
                UPDATE access_request SET status = 'expired', decided_at = ?1
                WHERE status = 'pending' AND expires_at <= ?1 RETURNING id""").setParameter(1, now).getResultList();
        for (UUID id : expired) {
            audit.record(AuditEntry.of("request.expired").bySystem("request-expiry").on("access_request", id));
            notices.requestDecided(AccessRequest.findById(id));
        }
        return expired;
    }

    /**
     * The approver and the requester as they are now, share-locked (users before the request, the
     * order offboarding takes too): a disabling either commits before this decision, which then
     * sees it, or waits until the decision has committed, and then voids it.
     */
    private User lockPeople(UUID requestId, UUID approverId) {
        List<UUID> people = new java.util.ArrayList<>(em.createQuery("select r.requester.id from AccessRequest r where r.id = ?1", UUID.class)
                .setParameter(1, requestId).getResultList());
        people.add(approverId);
        User approver = null;
        for (UUID id : people.stream().distinct().sorted().toList()) {
            User found = em.find(User.class, id, LockModeType.PESSIMISTIC_READ);
            if (id.equals(approverId)) {
                approver = found;
            }
        }
        if (approver == null) {
            throw new ProblemException(403, "approver-disabled", "Account disabled", "Your Latch account no longer exists.");
        }
        return approver;
    }

    private void checkMayDecide(AccessRequest request, User approver, String decision) {
        if (!"approve".equals(decision) && !"deny".equals(decision)) {
            throw ProblemException.badRequest("decision-invalid", "Decide approve or deny.");
        }
        requirePending(request);
        if (request.requester.id.equals(approver.id)) {
            throw ProblemException.forbidden("own-request", "Nobody decides their own request.");
        }
        if (!approver.isActive()) {
            throw new ProblemException(403, "approver-disabled", "Account disabled", "Your Latch account is disabled, so you cannot decide.");
        }
        if (!mayDecide(request, approver)) {
            throw ProblemException.forbidden("not-an-approver", "You are not an approver of this request.");
        }
        if (AccessDecision.count("requestId = ?1 and approverId = ?2", request.id, approver.id) > 0) {
            throw new ProblemException(409, "already-decided-by-you", "Already decided", "You have already decided this request.");
        }
    }

    private void requirePending(AccessRequest request) {
        if (!request.isPending() || !clock.instant().isBefore(request.expiresAt)) {
            throw new ProblemException(409, "request-decided", "Already decided",
                    "This request is no longer open (" + (request.isPending() ? "expired" : request.status) + ").");
        }
    }

    private Optional<Entitlement> requestableEntitlement(User user, AccessLevel level) {
        return em.createQuery("""
                select e from Entitlement e, GroupMembership m
                where m.key.groupId = e.groupId and m.key.userId = ?1 and e.accessLevelId = ?2 and e.mode = 'requestable'""", Entitlement.class)
                .setParameter(1, user.id).setParameter(2, level.id).getResultList().stream()
                .max(Comparator.comparing(e -> e.maxDuration));
    }

    private ApprovalPolicy policyOf(Entitlement entitlement) {
        List<ApprovalStep> steps = ApprovalStep.<ApprovalStep>list("entitlementId = ?1 order by position", entitlement.id);
        if (steps.isEmpty()) {
            return ApprovalPolicy.managerOnly();
        }
        return new ApprovalPolicy(steps.stream().map(s -> new ApprovalPolicy.Step(s.position,
                "manager".equals(s.approverKind) ? ApprovalPolicy.Kind.MANAGER : ApprovalPolicy.Kind.GROUP, s.approverGroupId,
                s.approverGroupId == null ? null : Group.<Group>findByIdOptional(s.approverGroupId).map(g -> g.name).orElse("?"),
                s.requiredApprovals)).toList());
    }

    /** "staging (111111111111) / cluster staging-main / edit". */
    public static String levelName(AccessLevel level) {
        if (level.cluster != null) {
            return level.cluster.account.name + " (" + level.cluster.account.accountId + ") / cluster " + level.cluster.name + " / " + level.name;
        }
        return level.account.name + " (" + level.account.accountId + ") / " + level.name;
    }

    private String write(ApprovalPolicy policy) {
        try {
            return json.writeValueAsString(policy);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
