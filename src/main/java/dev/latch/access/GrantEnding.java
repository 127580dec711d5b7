package dev.latch.access;

import dev.latch.identity.User;
import dev.latch.web.TimeFormats;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;

/**
 * How a grant ended, said the same way on every page, in {@code latch ls}, in the helper's refusal
 * line and in the holder's notice: "revoked by bob at 14:02 UTC: incident over". The kind follows
 * from who ended it: nobody (the expiry job, offboarding), the holder (ended early), or someone
 * else (revoked, with the reason they gave).
 */
public record GrantEnding(Kind kind, String by, Instant at, String reason) {

    public enum Kind {
        REVOKED("revoked"), ENDED_EARLY("ended early"), EXPIRED("expired"), ENDED("ended");

        private final String word;

        Kind(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }
    }

    /** What {@link Grants#revoke} records when the revoker gives no reason. */
    static final String NO_REASON = "no reason given";

    public GrantEnding {
        Objects.requireNonNull(kind);
        Objects.requireNonNull(at);
    }

    /**
     * The grant's ending, or null while it is usable or yet to start. A grant past its end that the
     * expiry job has not reached yet counts as expired at its end. {@code name} says how to name the
     * person who ended it (a username for the helper, "Name (username)" on pages).
     */
    public static GrantEnding of(AccessGrant grant, Instant now, Function<User, String> name) {
        if (grant.endedAt == null) {
            return now.isBefore(grant.endsAt) ? null : new GrantEnding(Kind.EXPIRED, null, grant.endsAt, null);
        }
        User by = grant.endedBy == null ? null : User.findById(grant.endedBy);
        GrantEnding ending = of(grant.user.id, grant.endedBy, by == null ? null : name.apply(by), grant.endedAt, grant.endReason);
        // the expiry job may run late; the grant stopped working at its end all the same
        return ending.kind == Kind.EXPIRED ? new GrantEnding(Kind.EXPIRED, null, grant.endsAt, null) : ending;
    }

    /** The rule, without the database: who ended the grant decides its kind. */
    static GrantEnding of(UUID holder, UUID endedBy, String byName, Instant endedAt, String reason) {
        if (endedBy == null) {
            return "expired".equals(reason) ? new GrantEnding(Kind.EXPIRED, null, endedAt, null)
                    : new GrantEnding(Kind.ENDED, null, endedAt, reason);
        }
        if (endedBy.equals(holder)) {
            return new GrantEnding(Kind.ENDED_EARLY, byName, endedAt, null);
        }
        return new GrantEnding(Kind.REVOKED, byName, endedAt, reason);
    }

    /** "revoked by bob at 14:02 UTC: incident over", "ended early by alice at 09:15 UTC", "expired at 16:00 UTC". */
    public String describe(Instant now) {
        StringBuilder text = new StringBuilder(kind.word());
        if (by != null) {
            text.append(" by ").append(by);
        }
        text.append(" at ").append(TimeFormats.at(at, now));
        if (reason != null && !reason.isBlank()) {
            text.append(": ").append(reason);
        }
        return text.toString();
    }

    /** The same, as the end of "Your grant for prod-main (admin) …": "was revoked by bob at 14:02 UTC: incident over". */
    public String clause(Instant now) {
        return (kind == Kind.REVOKED || kind == Kind.ENDED_EARLY ? "was " : "") + describe(now);
    }

    /** The same, as a sentence on a page: "Revoked by Bob (bob) at 14:02 UTC: incident over". */
    public String sentence(Instant now) {
        String text = describe(now);
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
