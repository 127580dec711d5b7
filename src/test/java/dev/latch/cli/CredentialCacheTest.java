package dev.latch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class CredentialCacheTest {

    @Test
    void readsTheExpiryFormatsThePortalAndAwsUse() {
        assertEquals(Instant.parse("2026-11-29T08:00:00Z"), CredentialCache.parseTime("2026-11-29T08:00:00Z"));
        assertEquals(Instant.parse("2028-02-29T23:59:59Z"), CredentialCache.parseTime("2028-02-29T23:59:59Z"));
        assertEquals(Instant.parse("2026-11-29T08:00:00.250Z"), CredentialCache.parseTime("2026-11-29T08:00:00.250Z"));
        assertEquals(Instant.parse("2026-11-29T07:00:00Z"), CredentialCache.parseTime("2026-11-29T08:00:00+01:00"));
    }
}
