package dev.latch.kube;

import dev.latch.access.AccessGrant;
import dev.latch.access.GrantEnding;
import dev.latch.audit.AuditEntry;
import dev.latch.audit.AuditLog;
import dev.latch.broker.BrokerConfig;
import dev.latch.broker.EksTokenSigner;
import dev.latch.broker.RoleSessions;
import dev.latch.identity.User;
import dev.latch.inventory.LevelAccess;
import dev.latch.web.PortalConfig;
import dev.latch.web.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Token mints for kubeconfigs: every call re-checks the issuance (the caller's, not expired, not
 * revoked), the person and their access, then signs an EKS token with the person's role session.
 * The ExecCredential expires at the earliest of the token's reported expiry, the configured
 * credential lifetime (how soon kubectl comes back, so revocation reaches it), the role session's
 * end (a presigned URL dies with its credentials) and the issuance's end.
 */
@ApplicationScoped
public class KubeTokens {

    private final LevelAccess levelAccess;
    private final RoleSessions roleSessions;
    private final AuditLog audit;
    private final PortalConfig portal;
    private final Clock clock;
    private final Duration credentialLifetime;
    private final ClusterIdTokens idTokens;
    private final KubeRefusals refusals;
    private final dev.latch.broker.TerminalProduction production;

    public KubeTokens(LevelAccess levelAccess, RoleSessions roleSessions, AuditLog audit, PortalConfig portal, BrokerConfig broker,
            ClusterIdTokens idTokens, KubeRefusals refusals, Clock clock, dev.latch.broker.TerminalProduction production) {
        this.production = production;
        this.idTokens = idTokens;
        this.refusals = refusals;
        Duration max = Duration.ofMinutes(14);
        this.credentialLifetime = broker.kubeCredentialLifetime().compareTo(max) > 0 ? max : broker.kubeCredentialLifetime();
        this.levelAccess = levelAccess;
        this.roleSessions = roleSessions;
        this.audit = audit;
        this.portal = portal;
        this.clock = clock;
    }

    // a refusal is audited in a transaction of its own (KubeRefusals), before anything else is written
    @Transactional
    public ExecCredential mint(UUID issuanceId, UUID userId, UUID terminalLogin) {
        Instant now = clock.instant();
        Issuance issuance = issuanceId == null ? null : Issuance.<Issuance>find("""
                from Issuance i join fetch i.cluster c join fetch c.account join fetch i.level join fetch i.user
                where i.id = ?1""", issuanceId).firstResult();
        User user = User.findById(userId);
        if (issuance == null || !issuance.user.id.equals(userId)) {
            throw refuse(user, issuanceId, "not found or not the caller's", ProblemException.notFound("No kubeconfig with id "
                    + issuanceId + " belongs to you. Download a new one at " + portal.publicOrigin() + "/ or run `latch setup`."));
        }
        String what = "Your kubeconfig for " + issuance.cluster.contextName + " (" + issuance.level.name + ")";
        // a grant that ended says so (and where to ask again), before the issuance it revoked
        if (issuance.grantId != null) {
            AccessGrant grant = AccessGrant.findById(issuance.grantId);
            if (grant == null || !grant.isActive(now)) {
                GrantEnding ending = grant == null ? null : GrantEnding.of(grant, now, u -> u.username);
                String ended = ending == null ? "has ended" : ending.clause(now);
                throw refuse(user, issuanceId, "grant ended", new ProblemException(410, "grant-ended", "Access ended", "Your grant for "
                        + issuance.cluster.name + " (" + issuance.level.name + ") " + ended + ". " + what + " no longer works. Request it again at "
                        + portal.publicOrigin() + "/requests/new?level=" + issuance.level.id));
            }
        }
        if (issuance.revokedAt != null) {
            throw refuse(user, issuanceId, "revoked", new ProblemException(410, "issuance-revoked", "Kubeconfig revoked", what
                    + " was revoked at " + issuance.revokedAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + " ("
                    + issuance.revokeReason + "). Download a new one at " + portal.publicOrigin() + "/ or run `latch setup`."));
        }
        if (!now.isBefore(issuance.expiresAt)) {
            throw refuse(user, issuanceId, "expired", new ProblemException(410, "issuance-expired", "Kubeconfig expired", what
                    + " expired at " + issuance.expiresAt + ". Download a new one at " + portal.publicOrigin() + "/ or run `latch setup`."));
        }
        java.util.Optional<dev.latch.inventory.EntitlementResolver.Access> standing = issuance.grantId == null
                ? levelAccess.standing(user, issuance.level.id) : java.util.Optional.empty();
        if (issuance.grantId == null && standing.isEmpty()) {
            throw refuse(user, issuanceId, "access ended", ProblemException.forbidden("access-ended", what + " no longer works: your "
                    + "access to " + issuance.cluster.name + " at level " + issuance.level.name + " has ended. See what you may use, or "
                    + "request access, at " + portal.publicOrigin() + "/"));
        }
        AccessGrant grant = issuance.grantId == null ? null : AccessGrant.findById(issuance.grantId);
        try {
            production.check(terminalLogin, user, issuance.cluster.account, grant, issuance.cluster.contextName + " (" + issuance.level.name + ")");
        } catch (ProblemException refused) {
            throw refuse(user, issuanceId, refused.code(), refused);
        }
        if ("generic".equals(issuance.cluster.kind)) {
            return genericCluster(user, issuance, now);
        }
        // the session is the grant's own and ends by the grant's end (read again by RoleSessions), or
        // the standing access's; the ExecCredential below ends by the issuance's end either way
        RoleSessions.Request request = issuance.grantId != null
                ? new RoleSessions.Request(user.username, issuance.level.roleArn, issuance.cluster.region,
                        RoleSessions.Basis.grant(issuance.grantId), issuance.expiresAt)
                : new RoleSessions.Request(user.username, issuance.level.roleArn, issuance.cluster.region,
                        RoleSessions.Basis.standing(issuance.level.id), now.plus(standing.get().maxDuration()));
        RoleSessions.Session session;
        try {
            session = roleSessions.session(request);
        } catch (ProblemException refused) {
            throw refuse(user, issuanceId, refused.code(), refused);
        }
        EksTokenSigner.EksToken token = EksTokenSigner.sign(session.credentials(), issuance.cluster.name, issuance.cluster.region, clock);
        Instant expires = earliest(token.expiresAt(), now.plus(credentialLifetime), session.expiresAt(), issuance.expiresAt);
        countUse(issuance, now);
        audit.record(AuditEntry.of("kube.token.minted").byUser(user.id.toString(), user.username).on("kube_issuance", issuance.id)
                .detail("cluster", issuance.cluster.name).detail("level", issuance.level.name)
                .detail("role_session", session.assumedRoleArn()).detail("access_key_id", session.credentials().accessKeyId())
                .detail("expires_at", expires.toString()));
        return ExecCredential.of(token.value(), expires);
    }

    /** A generic cluster trusts the portal as its OIDC issuer: a short ID token with the level's groups. */
    private ExecCredential genericCluster(User user, Issuance issuance, Instant now) {
        Instant expires = earliest(now.plus(credentialLifetime), issuance.expiresAt);
        String token = idTokens.sign(user, issuance, now, expires);
        countUse(issuance, now);
        audit.record(AuditEntry.of("kube.token.minted").byUser(user.id.toString(), user.username).on("kube_issuance", issuance.id)
                .detail("cluster", issuance.cluster.name).detail("level", issuance.level.name).detail("kind", "oidc")
                .detail("groups", String.join(",", issuance.level.kubernetesGroups)).detail("expires_at", expires.toString()));
        return ExecCredential.of(token, expires);
    }

    /** One atomic UPDATE: concurrent mints for one issuance must not overwrite each other's count. */
    private static void countUse(Issuance issuance, Instant now) {
        Issuance.update("tokenCount = tokenCount + 1, lastUsedAt = ?1 where id = ?2", now, issuance.id);
    }

    private ProblemException refuse(User user, UUID issuanceId, String reason, ProblemException problem) {
        return refusals.refused(user, AuditEntry.of("kube.token.minted").on("kube_issuance", issuanceId == null ? "none" : issuanceId),
                reason, problem);
    }

    private static Instant earliest(Instant... instants) {
        Instant earliest = instants[0];
        for (Instant instant : instants) {
            if (instant.isBefore(earliest)) {
                earliest = instant;
            }
        }
        return earliest;
    }
}
