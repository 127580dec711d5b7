package dev.latch.identity;

import dev.latch.audit.AuditEntry;
import dev.latch.audit.AuditLog;
import dev.latch.support.Secrets;
import dev.latch.web.PortalConfig;
import dev.latch.web.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/** Issues, finds, revokes and consumes one-time enrolment links. */
@ApplicationScoped
public class Invitations {

    static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{1,62}");
    static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,255}");

    private final InvitationConfig config;
    private final PortalConfig portal;
    private final AuditLog audit;
    private final Clock clock;

    public Invitations(InvitationConfig config, PortalConfig portal, AuditLog audit, Clock clock) {
        this.config = config;
        this.portal = portal;
        this.audit = audit;
        this.clock = clock;
    }

    /** An issued link; the URL holds the secret and is shown once. */
    public record Issued(Invitation invitation, String url) {
    }

    /** What an admin asks for. */
    public record Request(String username, String email, String displayName, boolean admin) {
    }

    /** Invites a new person; refuses taken usernames and emails, and a second open link for one username. */
    @Transactional
    public Issued invite(Request request, User by) {
        String username = validUsername(request.username());
        String email = validEmail(request.email());
        if (User.findByUsername(username).isPresent()) {
            throw conflict("The username " + username + " is taken.");
        }
        if (email != null && User.findByEmail(email).isPresent()) {
            throw conflict("A user with the email " + email + " already exists.");
        }
        refuseSecondOpenLink(username);
        String name = request.displayName() == null || request.displayName().isBlank() ? username : request.displayName().trim();
        return issue(Invitation.INVITE, username, email, name, request.admin(), null, by, config.lifetime());
    }

    /** A link that lets an existing user register a key (a user an admin created, or one who lost every key). */
    @Transactional
    public Issued inviteExisting(User user, User by) {
        refuseSecondOpenLink(user.username);
        return issue(Invitation.INVITE, user.username, user.email, user.displayName, user.admin, user.id, by, config.lifetime());
    }

    /** The first administrator's link; only while there are no users. */
    @Transactional
    public Issued bootstrap() {
        return issue(Invitation.BOOTSTRAP, "admin", null, "Administrator", true, null, null, config.bootstrapLifetime());
    }

    /** The open invitation behind a link, or a 404 that does not say which of unknown, used, revoked or expired. */
    @Transactional
    public Invitation open(String token) {
        if (token == null || token.length() < 32 || token.length() > 100) {
            throw notUsable();
        }
        Invitation invitation = Invitation.<Invitation>find("tokenHash", (Object) Secrets.hash(token)).firstResult();
        if (invitation == null || !invitation.isOpen(clock.instant())) {
            throw notUsable();
        }
        return invitation;
    }

    /** Marks the invitation used; only one caller can win, so a link enrols at most one key. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void consume(Invitation invitation) {
        int updated = Invitation.update("usedAt = ?1 where id = ?2 and usedAt is null and revokedAt is null and expiresAt > ?1",
                clock.instant(), invitation.id);
        if (updated != 1) {
            throw notUsable();
        }
    }

    @Transactional
    public boolean revoke(UUID id, User by) {
        Invitation invitation = Invitation.findById(id);
        if (invitation == null || !invitation.isOpen(clock.instant())) {
            return false;
        }
        invitation.revokedAt = clock.instant();
        audit.record(AuditEntry.of("invitation.revoked").byUser(by.id.toString(), by.username)
                .on("invitation", invitation.id).detail("username", invitation.username));
        return true;
    }

    @Transactional
    public List<Invitation> pending() {
        return Invitation.list("usedAt is null and revokedAt is null and expiresAt > ?1 order by createdAt desc", clock.instant());
    }

    @Transactional
    public boolean openBootstrapExists() {
        return Invitation.count("kind = ?1 and usedAt is null and revokedAt is null and expiresAt > ?2",
                Invitation.BOOTSTRAP, clock.instant()) > 0;
    }

    private Issued issue(String kind, String username, String email, String displayName, boolean admin, UUID userId,
            User by, Duration lifetime) {
        Instant now = clock.instant();
        String token = Secrets.newSecret();
        Invitation invitation = new Invitation();
        invitation.id = UUID.randomUUID();
        invitation.tokenHash = Secrets.hash(token);
        invitation.kind = kind;
        invitation.username = username;
        invitation.email = email;
        invitation.displayName = displayName;
        invitation.admin = admin;
        invitation.userId = userId;
        invitation.createdBy = by == null ? null : by.id;
        invitation.createdAt = now;
        invitation.expiresAt = now.plus(lifetime);
        invitation.persist();
        AuditEntry entry = AuditEntry.of("invitation.created").on("invitation", invitation.id)
                .detail("username", username).detail("kind", kind).detail("admin", admin)
                .detail("expires_at", invitation.expiresAt);
        audit.record(by == null ? entry.bySystem("bootstrap") : entry.byUser(by.id.toString(), by.username));
        return new Issued(invitation, portal.publicOrigin() + "/enrol/" + token);
    }

    private void refuseSecondOpenLink(String username) {
        if (Invitation.count("username = ?1 and usedAt is null and revokedAt is null and expiresAt > ?2", username,
                clock.instant()) > 0) {
            throw conflict("There is already an open invitation for " + username + ". Revoke it first to send a new one.");
        }
        // an expired, unused link still holds the partial unique index: retire it
        Invitation.update("revokedAt = ?1 where username = ?2 and usedAt is null and revokedAt is null", clock.instant(), username);
    }

    static String validUsername(String raw) {
        String username = raw == null ? "" : raw.trim().toLowerCase();
        if (!USERNAME.matcher(username).matches()) {
            throw ProblemException.badRequest("invalid-username",
                    "A username is 2 to 63 characters: lower-case letters, digits, dot, dash or underscore, starting with a letter or digit.");
        }
        return username;
    }

    static String validEmail(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String email = raw.trim();
        if (!EMAIL.matcher(email).matches()) {
            throw ProblemException.badRequest("invalid-email", "That email address does not look right.");
        }
        return email;
    }

    private static ProblemException conflict(String detail) {
        return new ProblemException(409, "conflict", "Conflict", detail);
    }

    private static ProblemException notUsable() {
        return new ProblemException(404, "invitation-not-usable", "Link not usable",
                "This enrolment link is not valid: it may have expired, been used already or been revoked. "
                        + "Ask your Latch administrator for a new one.");
    }
}
