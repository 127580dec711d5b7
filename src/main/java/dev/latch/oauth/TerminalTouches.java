package dev.latch.oauth;

import dev.latch.audit.AuditEntry;
import dev.latch.audit.AuditLog;
import dev.latch.identity.User;
import dev.latch.web.PortalConfig;
import dev.latch.web.ProblemException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Key touches recorded on a helper login (a token family), for what the terminal may only do
 * after one: using a production level. The portal asks ({@code 403 touch-required}, naming
 * {@code /terminal/touch}); the person touches their key on that page, which records the touch's
 * time on the login; the helper repeats the call. One open request per login at a time, so every
 * helper process of that login waits for the same page.
 */
@ApplicationScoped
public class TerminalTouches {

    /** How long an unanswered request stays open: like a device code, then a new refusal asks again. */
    static final Duration REQUEST_LIFETIME = Duration.ofMinutes(10);

    private final AuditLog audit;
    private final PortalConfig portal;
    private final Clock clock;

    public TerminalTouches(AuditLog audit, PortalConfig portal, Clock clock) {
        this.audit = audit;
        this.portal = portal;
        this.clock = clock;
    }

    /** Where the person confirms: the same page for every login and process. */
    public String pageUrl() {
        return portal.publicOrigin() + "/terminal/touch";
    }

    /**
     * Passes when the login's recorded touch is later than {@code after}; otherwise opens a
     * request (unless one is open), audits the refusal (both in their own transaction, so the
     * refusal cannot roll them back) and throws {@code 403 touch-required}.
     *
     * @param why how the touch must be recent, completing "needs a key touch …"
     */
    public void require(UUID familyId, User user, Instant after, String what, String why) {
        TokenFamily family = TokenFamily.findById(familyId); // in the caller's transaction: no second connection on the way in
        Instant touched = family == null ? null : family.touchedAt;
        if (touched != null && touched.isAfter(after)) {
            return;
        }
        Instant now = clock.instant();
        QuarkusTransaction.requiringNew().run(() -> {
            TokenFamily.update("""
                    touchRequestedAt = ?1, touchPurpose = ?2 where id = ?3 and (touchRequestedAt is null or touchRequestedAt < ?4
                    or (touchedAt is not null and touchedAt >= touchRequestedAt))""", now, what, familyId, now.minus(REQUEST_LIFETIME));
            audit.record(AuditEntry.of("terminal.production").byUser(user.id.toString(), user.username).on("token_family", familyId)
                    .detail("what", what).denied("touch-required"));
        });
        throw new ProblemException(403, "touch-required", "Key touch needed", "Using " + what + " from the terminal needs a key touch "
                + why + ". Confirm it at " + pageUrl() + " with your security key.");
    }

    /** The person's live logins waiting for a touch, the newest request first. */
    @Transactional
    public List<TokenFamily> waiting(UUID userId) {
        Instant now = clock.instant();
        return TokenFamily.<TokenFamily>list("""
                userId = ?1 and revokedAt is null and expiresAt > ?2 and touchRequestedAt > ?3
                and (touchedAt is null or touchedAt < touchRequestedAt)""", Sort.descending("touchRequestedAt"),
                userId, now, now.minus(REQUEST_LIFETIME));
    }

    /**
     * Records {@code touchedAt} (the session's key touch) on the person's waiting login. The touch
     * must come after the request, as a device approval must come after the helper asked: a touch
     * made for something else a minute earlier does not confirm this.
     */
    @Transactional
    public TokenFamily confirm(UUID familyId, User user, Instant touchedAt) {
        TokenFamily family = waiting(user.id).stream().filter(f -> f.id.equals(familyId)).findFirst()
                .orElseThrow(() -> new ProblemException(404, "touch-request-unknown", "Nothing to confirm",
                        "This terminal is not waiting for a touch (it was confirmed, has expired or was signed out). "
                                + "Run the command again to ask anew."));
        if (touchedAt == null || !touchedAt.isAfter(family.touchRequestedAt)) {
            throw ProblemException.stepUpRequired("Touch your security key to allow production access from " + family.clientName
                    + (family.hostName == null ? "" : " on " + family.hostName) + ".");
        }
        family.touchedAt = touchedAt;
        audit.record(AuditEntry.of("terminal.touched").byUser(user.id.toString(), user.username).on("token_family", family.id)
                .detail("what", family.touchPurpose).detail("host", family.hostName));
        return family;
    }
}
