package dev.latch.identity;

import dev.latch.audit.AuditEntry;
import dev.latch.audit.AuditLog;
import dev.latch.support.Secrets;
import dev.latch.web.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

/**
 * What the upstream identity provider contributes to enrolment: whether its sign-in is required,
 * and the verified claims (display name, email, manager, groups) copied onto the new account.
 */
@ApplicationScoped
public class UpstreamIdentity {

    private static final Logger LOG = Logger.getLogger(UpstreamIdentity.class);

    private static final PeopleActor UPSTREAM = PeopleActor.system(PeopleSource.UPSTREAM, "upstream");

    private final UpstreamConfig config;
    private final Managers managers;
    private final Memberships memberships;
    private final AuditLog audit;
    private final Clock clock;

    public UpstreamIdentity(UpstreamConfig config, Managers managers, Memberships memberships, AuditLog audit, Clock clock) {
        this.config = config;
        this.managers = managers;
        this.memberships = memberships;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Checks the upstream ID token against the invitation and records its claims on it. The email
     * must be verified (when the provider says) and equal the invitation's; otherwise nothing is
     * stored and the answer is a 403 that says why. The proof is bound to the browser that made it:
     * only the hash of {@code browserSecret} (the {@link UpstreamProofCookie}'s value) is kept, and a
     * later proof from another browser moves the binding there.
     */
    @Transactional(dontRollbackOn = ProblemException.class) // a refusal is audited; nothing else has changed by then
    public void recordVerifiedIdentity(UUID invitationId, JsonWebToken idToken, String browserSecret) {
        Invitation invitation = Invitation.findById(invitationId);
        String email = idToken.getClaim("email");
        Object verified = idToken.getClaim("email_verified");
        if (invitation.email == null) {
            refuse(invitation, "no email on the invitation", "This invitation has no email address, so your company account cannot be "
                    + "matched to it. Ask your Latch administrator to invite you with your work email.");
        }
        if (email == null || Boolean.FALSE.equals(verified) || "false".equals(String.valueOf(verified))) {
            refuse(invitation, "upstream email missing or not verified", "Your company account did not confirm a verified email "
                    + "address. Ask your administrator.");
        }
        if (!email.trim().equalsIgnoreCase(invitation.email.trim())) {
            refuse(invitation, "upstream email does not match", "Your company account's email (" + email + ") does not match the "
                    + "invitation. Sign in with the account the invitation was sent to, or ask your administrator.");
        }
        Map<String, String> claims = new LinkedHashMap<>();
        put(claims, "name", idToken.getClaim("name"));
        put(claims, "email", email);
        put(claims, "groups", join(idToken.getClaim(config.groupsClaim())));
        put(claims, "manager_email", idToken.getClaim(config.managerClaim()));
        invitation.upstreamSubject = idToken.getSubject();
        invitation.upstreamClaims = claims;
        invitation.upstreamBrowserHash = Secrets.hash(browserSecret);
        audit.record(AuditEntry.of("invitation.upstream_verified").byAnonymous().on("invitation", invitation.id)
                .detail("subject", idToken.getSubject()).detail("email", email));
    }

    /** Whether this invitation needs an upstream proof before a key is registered with it. */
    public boolean requiredFor(Invitation invitation) {
        return required() && !invitation.isBootstrap();
    }

    /** Whether the invitation's upstream proof was made in the browser holding {@code browserSecret}. */
    public boolean provenIn(Invitation invitation, Optional<String> browserSecret) {
        return invitation.upstreamSubject != null && invitation.upstreamBrowserHash != null && browserSecret.isPresent()
                && Secrets.sameBytes(invitation.upstreamBrowserHash, Secrets.hash(browserSecret.get()));
    }

    /**
     * Refuses key registration (its start and its finish) unless this browser made the invitation's
     * upstream proof. Without the binding, whoever held a leaked link could let the invitee's IdP
     * session make the proof and then register their own key. The refusal is audited in its own
     * transaction, so the caller's rollback does not take it.
     */
    public void requireProofFrom(Invitation invitation, Optional<String> browserSecret) {
        if (!requiredFor(invitation) || provenIn(invitation, browserSecret)) {
            return;
        }
        boolean elsewhere = invitation.upstreamSubject != null;
        audit.recordRefusal(AuditEntry.of("invitation.upstream_proof").byAnonymous()
                .on("invitation", invitation.id).denied(elsewhere ? "proof made in another browser" : "no upstream proof"));
        throw ProblemException.forbidden("upstream-sign-in-required", elsewhere
                ? "Your company sign-in for this invitation was made in another browser. Sign in with your company account "
                        + "here, in this browser, then register your key."
                : "Sign in with your company account first, then register your key.");
    }

    public boolean required() {
        return config.enabled();
    }

    public String providerName() {
        return config.displayName();
    }

    /** Fills the account from the claims the invitation recorded at upstream sign-in (before it is stored). */
    void applyClaims(User user, Invitation invitation) {
        Map<String, String> claims = invitation.upstreamClaims;
        if (claims == null) {
            return;
        }
        if (claims.get("name") != null && !claims.get("name").isBlank()) {
            user.displayName = claims.get("name");
        }
        if (claims.get("email") != null) {
            user.email = claims.get("email");
        }
    }

    /** Takes the manager the claims named (stored user: the change is audited and may resolve later). */
    void applyManager(User user, Invitation invitation) {
        String manager = invitation.upstreamClaims == null ? null : invitation.upstreamClaims.get("manager_email");
        if (manager != null && !manager.isBlank()) {
            managers.setByEmail(user, manager, UPSTREAM);
        }
    }

    /**
     * Puts a stored user into the groups the upstream claims named, creating missing groups. Only
     * groups the upstream provider owns are joined: a same-named local or file group (such as the
     * admins group) is skipped, so a group claim can never grant what an administrator did not.
     */
    void applyGroups(User user, Invitation invitation) {
        Map<String, String> claims = invitation.upstreamClaims;
        if (claims == null || claims.get("groups") == null || claims.get("groups").isBlank()) {
            return;
        }
        for (String raw : claims.get("groups").split(",")) {
            String name = normalise(raw);
            if (name.isEmpty()) {
                continue;
            }
            Group group = Group.<Group>find("name", name).firstResultOptional().orElseGet(() -> {
                Group created = new Group();
                created.id = UUID.randomUUID();
                created.name = name;
                created.source = "upstream";
                created.createdAt = clock.instant();
                created.persist();
                return created;
            });
            if (!"upstream".equals(group.source)) {
                LOG.warnf("Upstream group claim '%s' for %s skipped: a %s group of that name exists and only upstream groups follow the provider",
                        name, user.username, group.source);
                continue;
            }
            memberships.add(group, user, UPSTREAM);
        }
    }

    /** Group names as the table accepts them: lower case, letters, digits, dot, dash, underscore. */
    static String normalise(String raw) {
        String name = raw.trim().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-").replaceAll("^[^a-z0-9]+", "");
        return name.length() > 63 ? name.substring(0, 63) : name;
    }

    private void refuse(Invitation invitation, String reason, String detail) {
        audit.record(AuditEntry.of("invitation.upstream_verified").byAnonymous().on("invitation", invitation.id).denied(reason));
        throw new ProblemException(403, "upstream-identity-mismatch", "Company account not accepted", detail);
    }

    private static void put(Map<String, String> claims, String key, Object value) {
        if (value != null && !value.toString().isBlank()) {
            claims.put(key, value.toString());
        }
    }

    private static String join(Object groups) {
        if (groups instanceof Collection<?> list) {
            return String.join(",", list.stream().map(g -> g.toString().replace("\"", "")).toList());
        }
        if (groups instanceof jakarta.json.JsonArray array) {
            return String.join(",", array.stream().map(v -> v.toString().replace("\"", "")).toList());
        }
        return groups == null ? null : groups.toString();
    }
}
