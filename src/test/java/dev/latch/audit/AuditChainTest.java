package dev.latch.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The chain rule on its own: deterministic, sensitive to every field, stable across storage. */
class AuditChainTest {

    private static final Instant AT = Instant.parse("2026-11-24T10:15:30.123456789Z");

    private static AuditChain.Row row(String action, Map<String, String> details) {
        return new AuditChain.Row(7, AT, "user", "u-1", "alice", action, "cluster", "c-9", "success",
                "10.0.0.1", "req-1", details);
    }

    @Test
    void canonicalFormHasFixedOrderSortedDetailsAndMicrosecondTime() {
        String canonical = AuditChain.canonical(row("kube.token_minted", Map.of("z", "1", "a", "quote\"d\n")));
        assertEquals("{\"seq\":7,\"occurred_at\":\"2026-11-24T10:15:30.123456Z\",\"actor_type\":\"user\","
                + "\"actor_id\":\"u-1\",\"actor_name\":\"alice\",\"action\":\"kube.token_minted\","
                + "\"target_type\":\"cluster\",\"target_id\":\"c-9\",\"outcome\":\"success\","
                + "\"source_ip\":\"10.0.0.1\",\"request_id\":\"req-1\","
                + "\"details\":{\"a\":\"quote\\\"d\\n\",\"z\":\"1\"}}", canonical);
    }

    @Test
    void hashIsDeterministicAndChainsToThePreviousHash() {
        byte[] first = AuditChain.hash(AuditChain.GENESIS, row("user.signin", Map.of()));
        assertArrayEquals(first, AuditChain.hash(AuditChain.GENESIS, row("user.signin", Map.of())));
        byte[] otherPrev = Arrays.copyOf(first, 32);
        assertFalse(Arrays.equals(first, AuditChain.hash(otherPrev, row("user.signin", Map.of()))));
    }

    @Test
    void anyChangedFieldChangesTheHash() {
        byte[] original = AuditChain.hash(AuditChain.GENESIS, row("user.signin", Map.of("reason", "ok")));
        assertFalse(Arrays.equals(original, AuditChain.hash(AuditChain.GENESIS, row("user.signout", Map.of("reason", "ok")))));
        assertFalse(Arrays.equals(original, AuditChain.hash(AuditChain.GENESIS, row("user.signin", Map.of("reason", "ok!")))));
        assertFalse(Arrays.equals(original, AuditChain.hash(AuditChain.GENESIS, row("user.signin", Map.of()))));
        AuditChain.Row later = new AuditChain.Row(7, AT.plusNanos(1000), "user", "u-1", "alice", "user.signin",
                "cluster", "c-9", "success", "10.0.0.1", "req-1", Map.of("reason", "ok"));
        assertFalse(Arrays.equals(original, AuditChain.hash(AuditChain.GENESIS, later)));
    }

    @Test
    void nanosecondsBeyondWhatPostgresKeepsDoNotChangeTheHash() {
        AuditChain.Row precise = row("user.signin", Map.of());
        AuditChain.Row stored = new AuditChain.Row(7, Instant.parse("2026-11-24T10:15:30.123456Z"), "user", "u-1",
                "alice", "user.signin", "cluster", "c-9", "success", "10.0.0.1", "req-1", Map.of());
        assertArrayEquals(AuditChain.hash(AuditChain.GENESIS, precise), AuditChain.hash(AuditChain.GENESIS, stored));
    }

    @Test
    void entriesRefuseActionNamesThatAreNotDotted() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> AuditEntry.of("SignIn"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> AuditEntry.of("user"));
    }
}
