package dev.latch.kube;

import dev.latch.access.Grants;
import dev.latch.audit.AuditEntry;
import dev.latch.audit.AuditLog;
import dev.latch.identity.User;
import dev.latch.identity.UserDisabled;
import dev.latch.inventory.AccessLevel;
import dev.latch.inventory.Cluster;
import dev.latch.web.PortalConfig;
import dev.latch.web.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Kubeconfig issuances: created for standing access or an active grant, listed, revoked, and
 * rendered as kubeconfig YAML. An issuance lives as long as the entitlement's maximum duration
 * (7 days by default) or until its grant ends, and is re-checked on every token mint.
 */
@ApplicationScoped
public class Issuances implements dev.latch.inventory.ClusterDownloads {

    private final Grants grants;
    private final AuditLog audit;
    private final PortalConfig portal;
    private final Clock clock;
    private final KubeRefusals refusals;

    public Issuances(Grants grants, AuditLog audit, PortalConfig portal, KubeRefusals refusals, Clock clock) {
        this.grants = grants;
        this.refusals = refusals;
        this.audit = audit;
        this.portal = portal;
        this.clock = clock;
    }

    /**
     * Issues a kubeconfig for one cluster level. For production the browser has settled its
     * step-up; an issuance for the helper holds no credential, and each mint checks the touch.
     */
    @Transactional
    public Issuance issue(User user, UUID levelId, String channel) {
        AccessLevel level = levelId == null ? null : AccessLevel.findById(levelId);
        if (level == null || level.cluster == null) {
            throw refused(user, levelId, null, channel, ProblemException.notFound("No cluster access level with this id."));
        }
        Cluster cluster = level.cluster;
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        // standing access, or an active grant (JIT) with which the issuance ends
        Grants.Use use;
        try {
            use = grants.requireUse(user, level, cluster.name + " (" + level.name + ")");
        } catch (ProblemException refusal) {
            throw refused(user, levelId, level, channel, refusal);
        }
        Issuance issuance = new Issuance();
        issuance.id = UUID.randomUUID();
        issuance.user = user;
        issuance.cluster = cluster;
        issuance.level = level;
        issuance.channel = channel;
        issuance.issuedAt = now;
        issuance.grantId = use.grant() == null ? null : use.grant().id;
        issuance.expiresAt = use.endsAt(now);
        issuance.persist();
        audit.record(AuditEntry.of("kube.issuance.created").byUser(user.id.toString(), user.username).on("kube_issuance", issuance.id)
                .detail("cluster", cluster.name).detail("account", cluster.account.accountId).detail("level", level.name)
                .detail("channel", channel).detail("grant", issuance.grantId).detail("expires_at", issuance.expiresAt.toString()));
        return issuance;
    }

    /** A refused download or helper issuance, on the record in its own transaction; returned for throwing. */
    ProblemException refused(User user, UUID levelId, AccessLevel level, String channel, ProblemException problem) {
        AuditEntry entry = AuditEntry.of("kube.issuance.created").on("access_level", levelId).detail("channel", channel);
        if (level != null && level.cluster != null) {
            entry.detail("cluster", level.cluster.name).detail("account", level.cluster.account.accountId).detail("level", level.name);
        }
        return refusals.refused(user, entry, null, problem);
    }

    /** The cluster levels a person may download now (standing access or an active grant), for "All my clusters". */
    @Transactional
    public List<AccessLevel> standingClusterLevels(User user) {
        List<AccessLevel> levels = AccessLevel.<AccessLevel>find("""
                select distinct l from AccessLevel l join fetch l.cluster c join fetch c.account
                where l.id in (select e.accessLevelId from Entitlement e, GroupMembership m
                               where m.key.groupId = e.groupId and m.key.userId = ?1)
                order by c.contextName, l.name""", user.id).list();
        return levels.stream().filter(level -> grants.use(user, level).isPresent()).toList();
    }

    /** "All my clusters" has something to download. */
    @Override
    @Transactional
    public boolean anyFor(User user) {
        return !standingClusterLevels(user).isEmpty();
    }

    /** Live issuances of one person, soonest expiry first. */
    @Transactional
    public List<Issuance> live(UUID userId) {
        return Issuance.<Issuance>find("""
                from Issuance i join fetch i.cluster c join fetch c.account join fetch i.level join fetch i.user
                where i.user.id = ?1 and i.revokedAt is null and i.expiresAt > ?2 order by i.expiresAt""", userId, clock.instant()).list();
    }

    /** Every live issuance (administrators). */
    @Transactional
    public List<Issuance> liveForEveryone() {
        return Issuance.<Issuance>find("""
                from Issuance i join fetch i.cluster c join fetch c.account join fetch i.level join fetch i.user
                where i.revokedAt is null and i.expiresAt > ?1 order by i.expiresAt""", clock.instant()).list();
    }

    /** Revokes one issuance: its owner or an administrator. Token mints for it stop at once. */
    @Transactional
    public Issuance revoke(UUID id, User actor, String reason) {
        Issuance issuance = Issuance.findById(id);
        if (issuance == null || (!issuance.user.id.equals(actor.id) && !actor.admin)) {
            throw refusals.refused(actor, AuditEntry.of("kube.issuance.revoked").on("kube_issuance", id), "not found or not the caller's",
                    ProblemException.notFound("No kubeconfig with this id is yours to revoke."));
        }
        if (issuance.revokedAt == null) {
            issuance.revokedAt = clock.instant();
            issuance.revokedBy = actor.id;
            issuance.revokeReason = reason;
            audit.record(AuditEntry.of("kube.issuance.revoked").byUser(actor.id.toString(), actor.username).on("kube_issuance", issuance.id)
                    .detail("owner", issuance.user.username).detail("cluster", issuance.cluster.name).detail("level", issuance.level.name)
                    .detail("reason", reason));
        }
        return issuance;
    }

    /** Offboarding: a disabled person's kubeconfigs stop with the disabling (same transaction). */
    void onUserDisabled(@Observes UserDisabled event) {
        Issuance.update("revokedAt = ?1, revokeReason = 'account disabled' where user.id = ?2 and revokedAt is null",
                clock.instant(), event.userId());
    }

    /** Kubeconfig YAML for issuances of one person, with a header that says who, what and until when. */
    public String render(User user, List<Issuance> issuances) {
        Set<UUID> clustersWithSeveralLevels = KubeNames.clustersWithSeveralLevels(issuances.stream().map(i -> i.level).toList());
        List<String> header = new ArrayList<>();
        header.add("Kubeconfig from Latch (" + portal.publicOrigin() + ") for " + user.displayName + " (" + user.username + ").");
        List<KubeconfigRenderer.Entry> entries = new ArrayList<>();
        for (Issuance issuance : issuances) {
            KubeNames names = KubeNames.of(issuance.cluster, issuance.level, clustersWithSeveralLevels.contains(issuance.cluster.id));
            header.add(names.context() + ": cluster " + issuance.cluster.name + " in account " + issuance.cluster.account.name + " ("
                    + issuance.cluster.account.accountId + "), level " + issuance.level.name + ", valid until " + issuance.expiresAt
                    + " (issuance " + issuance.id + ").");
            entries.add(new KubeconfigRenderer.Entry(issuance.id.toString(), names.context(), names.cluster(), names.user(),
                    server(issuance.cluster), ca(issuance.cluster), KubeNames.namespace(issuance.level)));
        }
        header.add("Needs the latch helper: " + installHint().replace('\n', ' '));
        header.add("See and revoke your kubeconfigs at " + portal.publicOrigin() + "/kube");
        return KubeconfigRenderer.render(header, entries, portal.publicOrigin(), installHint());
    }

    String installHint() {
        return "Install the latch helper: curl -fsSL " + portal.publicOrigin() + "/install.sh | sh\n"
                + "(instructions: " + portal.publicOrigin() + "/install)";
    }

    static String server(Cluster cluster) {
        return cluster.endpointOverride != null ? cluster.endpointOverride : cluster.endpoint;
    }

    static String ca(Cluster cluster) {
        return cluster.caOverride != null ? cluster.caOverride : cluster.caBundle;
    }
}
