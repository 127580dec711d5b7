package dev.latch.identity;

import dev.latch.audit.AuditEntry;
import dev.latch.audit.AuditLog;
import dev.latch.support.Secrets;
import dev.latch.web.ProblemException;
import dev.latch.webauthn.WebAuthnCredential;
import dev.latch.webauthn.WebAuthnService;
import com.yubico.webauthn.data.ByteArray;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Turns a one-time link into an account with a registered security key and a session. The
 * link is consumed in the same transaction that stores the user and the key, so a link enrols
 * at most one key even when two browsers race.
 */
@ApplicationScoped
public class Enrolment {

    private final Invitations invitations;
    private final WebAuthnService webauthn;
    private final Sessions sessions;
    private final UpstreamIdentity upstream;
    private final Managers managers;
    private final AuditLog audit;
    private final Clock clock;
    private final jakarta.enterprise.event.Event<FirstAdministratorEnrolled> firstAdministrator;

    public Enrolment(Invitations invitations, WebAuthnService webauthn, Sessions sessions, UpstreamIdentity upstream,
            Managers managers, AuditLog audit, Clock clock, jakarta.enterprise.event.Event<FirstAdministratorEnrolled> firstAdministrator) {
        this.invitations = invitations;
        this.webauthn = webauthn;
        this.sessions = sessions;
        this.upstream = upstream;
        this.managers = managers;
        this.audit = audit;
        this.clock = clock;
        this.firstAdministrator = firstAdministrator;
    }

    /** What the person types on the enrolment page (the bootstrap link lets them choose their name). */
    public record Details(String nickname, String username, String displayName, String email) {
    }

    /** An enrolled person and their new session. */
    public record Enrolled(User user, WebAuthnCredential key, Sessions.Started session) {
    }

    /**
     * Starts key registration for a link. When the upstream proof is required, {@code browserProof}
     * (the {@link UpstreamProofCookie}'s secret) must be the one of the browser that made it.
     */
    public WebAuthnService.Started start(String token, Details details, Optional<String> browserProof) {
        Invitation invitation = invitations.open(token);
        upstream.requireProofFrom(invitation, browserProof);
        String nickname = nickname(details.nickname());
        Map<String, String> context = new HashMap<>();
        context.put("invitation_id", invitation.id.toString());
        context.put("nickname", nickname);
        WebAuthnService.Registrant registrant;
        if (invitation.userId != null) {
            User user = QuarkusTransaction.joiningExisting().call(() -> User.findById(invitation.userId));
            if (user == null || !user.isActive()) {
                throw ProblemException.forbidden("user-disabled", "This account is disabled. Ask your Latch administrator.");
            }
            registrant = new WebAuthnService.Registrant(user.userHandle, user.username, user.displayName);
        } else {
            String username = invitation.isBootstrap() ? Invitations.validUsername(details.username()) : invitation.username;
            String displayName = invitation.isBootstrap() && details.displayName() != null && !details.displayName().isBlank()
                    ? details.displayName().trim() : invitation.displayName;
            String email = invitation.isBootstrap() ? Invitations.validEmail(details.email()) : invitation.email;
            if (QuarkusTransaction.joiningExisting().call(() -> User.findByUsername(username).isPresent())) {
                throw new ProblemException(409, "conflict", "Conflict", "The username " + username + " is taken.");
            }
            context.put("username", username);
            context.put("display_name", displayName);
            if (email != null) {
                context.put("email", email);
            }
            registrant = new WebAuthnService.Registrant(Secrets.randomBytes(64), username, displayName);
        }
        return webauthn.startRegistration(registrant, context);
    }

    /** Finishes it; the upstream proof is checked again, as the browser finishing need not be the one that started. */
    public Enrolled finish(UUID ceremonyId, String response, String ip, String userAgent, Optional<String> previousSession,
            Optional<String> browserProof) {
        WebAuthnService.VerifiedRegistration verified = webauthn.finishRegistration(ceremonyId, response);
        Map<String, String> context = verified.ceremony().context();
        return QuarkusTransaction.requiringNew().call(() -> {
            Invitation invitation = Invitation.findById(UUID.fromString(context.get("invitation_id")));
            if (invitation == null) {
                throw ProblemException.notFound("The enrolment link no longer exists.");
            }
            upstream.requireProofFrom(invitation, browserProof);
            invitations.consume(invitation);
            User user = invitation.userId != null ? User.findById(invitation.userId) : createUser(invitation, context);
            WebAuthnCredential key = webauthn.store(user.id, verified, context.get("nickname"));
            audit.record(AuditEntry.of("invitation.used").byUser(user.id.toString(), user.username)
                    .on("invitation", invitation.id).detail("kind", invitation.kind));
            audit.record(AuditEntry.of("key.added").byUser(user.id.toString(), user.username).on("key", key.id)
                    .detail("nickname", key.nickname).detail("aaguid", key.aaguid).detail("via", "enrolment"));
            Sessions.Started session = sessions.start(user, key.id, ip, userAgent, previousSession);
            audit.record(AuditEntry.of("user.signin").byUser(user.id.toString(), user.username).on("session", session.session().id)
                    .detail("key", key.id).detail("via", "enrolment"));
            return new Enrolled(user, key, session);
        });
    }

    private User createUser(Invitation invitation, Map<String, String> context) {
        Instant now = clock.instant();
        User user = new User();
        user.id = UUID.randomUUID();
        user.username = context.get("username");
        user.displayName = context.get("display_name");
        user.email = context.get("email");
        user.userHandle = Base64.getUrlDecoder().decode(context.get("user_handle"));
        user.admin = invitation.admin;
        user.createdAt = now;
        user.updatedAt = now;
        upstream.applyClaims(user, invitation);
        user.persist();
        audit.record(AuditEntry.of("user.created").byUser(user.id.toString(), user.username).on("user", user.id)
                .detail("admin", user.admin).detail("via", invitation.kind));
        upstream.applyGroups(user, invitation);
        upstream.applyManager(user, invitation);
        managers.resolvePending(user);
        if (invitation.isBootstrap()) {
            firstAdministrator.fire(new FirstAdministratorEnrolled(user.id, user.username));
        }
        return user;
    }

    static String nickname(String raw) {
        String nickname = raw == null || raw.isBlank() ? "Security key" : raw.trim();
        if (nickname.length() > 60) {
            throw ProblemException.badRequest("invalid-nickname", "A key's name is at most 60 characters.");
        }
        return nickname;
    }

    static ByteArray handle(User user) {
        return new ByteArray(user.userHandle);
    }
}
