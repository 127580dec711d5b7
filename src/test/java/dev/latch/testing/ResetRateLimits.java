package dev.latch.testing;

import io.agroal.api.AgroalDataSource;
import io.quarkus.arc.Arc;
import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Every test starts with empty rate-limit counters: all tests come from 127.0.0.1, so without this
 * the per-address limits would make test outcomes depend on which tests ran in the same minute.
 * Tests about rate limits fill the counters themselves.
 */
public class ResetRateLimits implements QuarkusTestBeforeEachCallback {

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        try (Connection c = Arc.container().instance(AgroalDataSource.class).get().getConnection();
             Statement s = c.createStatement()) {
            s.execute("DELETE FROM rate_limit");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reset rate limits", e);
        }
    }
}
