package dev.latch.testing;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The application clock in tests: real time plus an offset that a test can move forward to
 * cross expiries (sessions, ceremonies, links). Tests that move it call {@link #reset()} after.
 */
public class TestClock extends Clock {

    private static volatile Duration offset = Duration.ZERO;

    public static void advance(Duration by) {
        offset = offset.plus(by);
    }

    /** The application's current time, for test code that must agree with it (e.g. DPoP proof iat). */
    public static Instant now() {
        return Instant.now().plus(offset);
    }

    public static void reset() {
        offset = Duration.ZERO;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset);
    }

    /** Replaces the production clock in every @QuarkusTest. */
    @ApplicationScoped
    public static class Producer {
        @Produces
        @Alternative
        @Priority(1)
        @ApplicationScoped
        Clock clock() {
            return new TestClock();
        }
    }
}
