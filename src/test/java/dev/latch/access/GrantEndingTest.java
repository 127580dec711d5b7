package dev.latch.access;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Who ended a grant decides what people read about it. */
class GrantEndingTest {

    private static final UUID HOLDER = UUID.randomUUID();
    private static final Instant AT = Instant.parse("2026-12-03T14:02:31Z");
    private static final Instant SAME_DAY = Instant.parse("2026-12-03T15:00:00Z");

    @Test
    void someoneElseEndingItIsARevocationWithTheirReason() {
        GrantEnding ending = GrantEnding.of(HOLDER, UUID.randomUUID(), "bob", AT, "incident over");
        assertEquals("revoked by bob at 14:02 UTC: incident over", ending.describe(SAME_DAY));
        assertEquals("was revoked by bob at 14:02 UTC: incident over", ending.clause(SAME_DAY));
        assertEquals("Revoked by bob at 2026-12-03 14:02 UTC: incident over", ending.sentence(Instant.parse("2026-12-04T09:00:00Z")));
    }

    @Test
    void theHolderEndingItIsAnEarlyEndAndTheJobsAreExpiryOrOffboarding() {
        assertEquals("was ended early by alice at 14:02 UTC", GrantEnding.of(HOLDER, HOLDER, "alice", AT, "ended early").clause(SAME_DAY));
        assertEquals("expired at 14:02 UTC", GrantEnding.of(HOLDER, null, null, AT, "expired").clause(SAME_DAY));
        assertEquals("ended at 14:02 UTC: account disabled", GrantEnding.of(HOLDER, null, null, AT, "account disabled").clause(SAME_DAY));
    }
}
