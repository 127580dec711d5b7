package dev.latch.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The audit log against the real database: one valid chain under concurrency, and tampering caught. */
@QuarkusTest
class AuditLogTest {

    @Inject
    AuditLog audit;

    @Inject
    AuditVerifier verifier;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void eightConcurrentWritersProduceOneValidChain() throws Exception {
        long before = count();
        int writers = 8;
        int perWriter = 40;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit((Callable<Void>) () -> {
                    start.await();
                    for (int i = 0; i < perWriter; i++) {
                        audit.record(AuditEntry.of("test.concurrent_write").byUser("writer-" + writer, "writer " + writer)
                                .on("probe", i).detail("writer", writer));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(before + writers * perWriter, count());
        AuditVerifier.Result result = verifier.verify();
        assertTrue(result.intact(), () -> "chain broken at " + result.brokenSeq() + ": " + result.problem());
        assertEquals(count(), result.rowsChecked());
    }

    @Test
    void verifyFindsTheFirstRowEditedBehindTheLogsBack() throws Exception {
        audit.record(AuditEntry.of("test.before_tamper").bySystem("test"));
        long victim = audit.record(AuditEntry.of("user.signin").byUser("u-42", "mallory").detail("reason", "ok"));
        audit.record(AuditEntry.of("test.after_tamper").bySystem("test"));
        assertTrue(verifier.verify().intact());

        String original = actorName(victim);
        // Someone with superuser rights bypasses the append-only trigger and rewrites history.
        tamper(victim, "alice");
        try {
            AuditVerifier.Result result = verifier.verify();
            assertFalse(result.intact());
            assertEquals(victim, result.brokenSeq());
            assertTrue(result.problem().contains("does not match its hash"), result.problem());
        } finally {
            tamper(victim, original);
        }
        assertTrue(verifier.verify().intact(), "restoring the original content restores the chain");
    }

    @Test
    void theTableRefusesUpdatesAndDeletesEvenFromItsOwner() throws Exception {
        long seq = audit.record(AuditEntry.of("test.immutable").bySystem("test"));
        try (Connection c = dev.latch.testing.DatabaseRoles.owner(); Statement s = c.createStatement()) {
            SQLException update = assertThrows(SQLException.class,
                    () -> s.executeUpdate("UPDATE audit_event SET actor_name = 'x' WHERE seq = " + seq));
            assertTrue(update.getMessage().contains("append-only"), update.getMessage());
            assertThrows(SQLException.class, () -> s.executeUpdate("DELETE FROM audit_event WHERE seq = " + seq));
        }
        assertTrue(verifier.verify().intact());
    }

    /**
     * The portal's own database role is what an attacker inside the portal (or with its password)
     * holds: it must not be able to drop the append-only trigger and then delete or rewrite rows.
     */
    @Test
    void thePortalsDatabaseRoleCanNeitherDeleteNorRewriteAuditRowsNorLiftTheTrigger() throws Exception {
        long seq = audit.record(AuditEntry.of("test.protected").bySystem("test"));
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            try {
                SQLException lift = assertThrows(SQLException.class,
                        () -> s.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update_or_delete"));
                assertTrue(lift.getMessage().contains("must be owner"), lift.getMessage());
                for (String sql : List.of("DELETE FROM audit_event WHERE seq = " + seq,
                        "UPDATE audit_event SET actor_name = 'x' WHERE seq = " + seq,
                        "TRUNCATE audit_event",
                        "DELETE FROM audit_checkpoint",
                        "UPDATE audit_checkpoint SET row_count = 0")) {
                    SQLException refused = assertThrows(SQLException.class, () -> s.execute(sql), sql);
                    assertTrue(refused.getMessage().contains("permission denied"), sql + ": " + refused.getMessage());
                }
            } finally {
                try (Connection owner = dev.latch.testing.DatabaseRoles.superuser(); Statement o = owner.createStatement()) {
                    o.execute("ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update_or_delete");
                }
            }
        }
        assertEquals("test", actorName(seq), "the row is still there, unchanged");
        assertTrue(verifier.verify().intact());
    }

    @Test
    void entriesKeepWhoWhatAndDetailsButAreChainedInOrder() throws Exception {
        long seq = audit.record(AuditEntry.of("cluster.kubeconfig_downloaded").byUser("u-7", "bob")
                .on("cluster", "staging-main").detail("level", "view").failed("step-up missing"));
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(
                     "SELECT actor_type, actor_name, target_id, outcome, details->>'reason', details->>'level' FROM audit_event WHERE seq = ?")) {
            s.setLong(1, seq);
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next());
                assertEquals("user", rs.getString(1));
                assertEquals("bob", rs.getString(2));
                assertEquals("staging-main", rs.getString(3));
                assertEquals("failure", rs.getString(4));
                assertEquals("step-up missing", rs.getString(5));
                assertEquals("view", rs.getString(6));
            }
        }
    }

    private long count() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM audit_event")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private String actorName(long seq) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT actor_name FROM audit_event WHERE seq = ?")) {
            s.setLong(1, seq);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private void tamper(long seq, String actorName) throws SQLException {
        try (Connection c = dev.latch.testing.DatabaseRoles.superuser()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement();
                 PreparedStatement update = c.prepareStatement("UPDATE audit_event SET actor_name = ? WHERE seq = ?")) {
                s.execute("SET LOCAL session_replication_role = replica"); // skips ordinary triggers
                update.setString(1, actorName);
                update.setLong(2, seq);
                assertEquals(1, update.executeUpdate());
            }
            c.commit();
        }
    }

    @jakarta.inject.Inject
    dev.latch.testing.Fixtures fixtures;

    @Test
    void administratorsVerifyTheChainOnDemandAndOthersCannot() {
        String admin = fixtures.session(fixtures.user("auditor", true));
        boolean intact = verifier.verify().intact();
        dev.latch.testing.Browserless.as(admin).accept("application/json").get("/api/v1/admin/audit/verify").then().statusCode(200)
                .body("intact", org.hamcrest.Matchers.equalTo(intact)).body("rowsChecked", org.hamcrest.Matchers.greaterThan(0));
        String someone = fixtures.session(fixtures.user("curious", false));
        dev.latch.testing.Browserless.as(someone).accept("application/json").get("/api/v1/admin/audit/verify").then().statusCode(403);
    }
}
