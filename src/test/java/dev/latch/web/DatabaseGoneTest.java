package dev.latch.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import org.hibernate.exception.GenericJDBCException;
import org.junit.jupiter.api.Test;

/** Which failures are "the database went away" (503), whatever wraps them, and which are bugs (500). */
class DatabaseGoneTest {

    @Test
    void sessionsTerminatedByAShuttingDownServerCountAsTheDatabaseGone() {
        SQLException terminated = new SQLException("FATAL: terminating connection due to administrator command", "57P01");
        assertTrue(ErrorResponses.databaseGone(new GenericJDBCException("could not execute statement", terminated)));
        assertTrue(ErrorResponses.databaseGone(new IllegalStateException("wrapped", new SQLException("I/O error", "08006"))));
        // a commit that failed: the transaction manager's exception carries the database's error as suppressed
        IllegalStateException commitFailed = new IllegalStateException("ARJUNA016053: Could not commit transaction.");
        commitFailed.addSuppressed(new SQLException("FATAL: terminating connection due to administrator command", "57P01"));
        assertTrue(ErrorResponses.databaseGone(new RuntimeException("rollback", commitFailed)));
    }

    @Test
    void otherDatabaseErrorsAreNot() {
        assertFalse(ErrorResponses.databaseGone(new GenericJDBCException("syntax", new SQLException("syntax error", "42601"))));
        assertFalse(ErrorResponses.databaseGone(new NullPointerException()));
    }
}
