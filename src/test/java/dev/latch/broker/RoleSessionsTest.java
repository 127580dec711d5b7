package dev.latch.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.aws.AwsClients;
import dev.latch.devstack.DemoEstate;
import dev.latch.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.organizations.model.Account;

/** Role sessions against the AWS emulator: the person's name in the session, caching, single flight. */
@QuarkusTest
class RoleSessionsTest {

    @Inject
    RoleSessions sessions;

    @Inject
    AwsClients aws;

    @AfterEach
    void resetClock() {
        TestClock.reset();
    }

    @Test
    void theSessionCarriesThePersonsNameAndIsCachedUntilNearItsEnd() {
        RoleSessions.Request request = new RoleSessions.Request("alice", roleArn("LatchView"), DemoEstate.REGION,
                RoleSessions.Basis.standing(java.util.UUID.randomUUID()), java.time.Instant.now().plus(Duration.ofHours(8)));
        RoleSessions.Session first = sessions.session(request);
        assertTrue(first.assumedRoleArn().endsWith(":assumed-role/LatchView/alice"), first.assumedRoleArn());
        assertSame(first, sessions.session(request), "cached");
        TestClock.advance(Duration.ofMinutes(56));
        assertNotSame(first, sessions.session(request), "renewed 5 minutes before the end of its hour");
    }

    @Test
    void fiftyConcurrentRequestsMakeOneStsCall() throws Exception {
        RoleSessions.Request request = new RoleSessions.Request("bob-" + System.nanoTime(), roleArn("LatchEdit"), DemoEstate.REGION,
                RoleSessions.Basis.standing(java.util.UUID.randomUUID()), java.time.Instant.now().plus(Duration.ofHours(1)));
        ExecutorService pool = Executors.newFixedThreadPool(50);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<RoleSessions.Session>> results = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return sessions.session(request);
                }));
            }
            start.countDown();
            RoleSessions.Session one = results.get(0).get();
            for (Future<RoleSessions.Session> result : results) {
                assertSame(one, result.get(), "every caller got the session of the one STS call");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void namesAreMadeAcceptableToSts() {
        assertEquals("alice", StsNames.sourceIdentity("alice"));
        assertEquals("aws_x", StsNames.sourceIdentity("aws:x"));
        assertEquals("a_", StsNames.sourceIdentity("a"));
        assertEquals(64, StsNames.sourceIdentity("x".repeat(100)).length());
        assertEquals("j_rgen", StsNames.sourceIdentity("jürgen"));
    }

    private String roleArn(String role) {
        String staging = aws.organizations().listAccountsPaginator().stream().flatMap(p -> p.accounts().stream())
                .filter(a -> a.name().equals("staging")).map(Account::id).findFirst().orElseThrow();
        return "arn:aws:iam::" + staging + ":role/" + role;
    }
}
