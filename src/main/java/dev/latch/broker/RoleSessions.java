package dev.latch.broker;

import dev.latch.aws.AwsClients;
import dev.latch.web.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.Tag;

/**
 * Short AWS sessions for a person in an access level's role: AssumeRole with the Latch username as
 * RoleSessionName and SourceIdentity (so CloudTrail shows who), session tags naming the user and
 * the grant or issuance, and a duration within the role-chaining cap. Sessions are cached per
 * (user, role) until 5 minutes before they expire; concurrent requests for the same key share one
 * STS call (single flight); failures are not cached and become clear problems.
 */
@ApplicationScoped
public class RoleSessions {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(RoleSessions.class);

    static final Duration CHAINING_CAP = Duration.ofHours(1);
    static final Duration REFRESH_MARGIN = Duration.ofMinutes(5);

    private final AwsClients aws;
    private final Clock clock;
    private final Map<Key, CompletableFuture<Session>> sessions = new ConcurrentHashMap<>();

    private final io.micrometer.core.instrument.MeterRegistry meters;

    public RoleSessions(AwsClients aws, Clock clock, io.micrometer.core.instrument.MeterRegistry meters) {
        this.aws = aws;
        this.clock = clock;
        this.meters = meters;
    }

    /** {@code latch_sts_assume_role_total{outcome}}: ok, refused, throttled, error, unreachable. */
    private void count(String outcome) {
        meters.counter("latch.sts.assume.role", "outcome", outcome).increment();
    }

    /** What a session is for. {@code context} names the grant or issuance in a session tag. */
    public record Request(String username, String roleArn, String region, String context, Duration maxDuration) {
    }

    /** An assumed-role session. */
    public record Session(AwsSessionCredentials credentials, Instant expiresAt, String assumedRoleArn) {
    }

    private record Key(String username, String roleArn) {
    }

    public Session session(Request request) {
        Key key = new Key(request.username(), request.roleArn());
        while (true) {
            CompletableFuture<Session> mine = new CompletableFuture<>();
            CompletableFuture<Session> current = sessions.compute(key, (k, existing) -> {
                if (existing != null && (!existing.isDone() || usable(existing))) {
                    return existing;
                }
                return mine;
            });
            if (current == mine) {
                try {
                    mine.complete(assume(request));
                } catch (RuntimeException e) {
                    sessions.remove(key, mine); // failures are not cached
                    mine.completeExceptionally(e);
                }
            }
            try {
                return current.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for STS", e);
            }
        }
    }

    /** The cached, still usable session for a person and role, if any (diagnostics and tests). */
    public java.util.Optional<Session> cached(String username, String roleArn) {
        CompletableFuture<Session> future = sessions.get(new Key(username, roleArn));
        return future != null && future.isDone() && usable(future) ? java.util.Optional.of(future.join()) : java.util.Optional.empty();
    }

    /** Drops cached sessions of a person (revocation, offboarding, grant end). */
    public void forget(String username) {
        sessions.keySet().removeIf(key -> key.username().equals(username));
    }

    /** Offboarding: a disabled person's cached AWS sessions are dropped with the disabling. */
    void onUserDisabled(@jakarta.enterprise.event.Observes dev.latch.identity.UserDisabled event) {
        forget(event.username());
    }

    private boolean usable(CompletableFuture<Session> future) {
        if (future.isCompletedExceptionally()) {
            return false;
        }
        Session session = future.getNow(null);
        return session != null && clock.instant().plus(REFRESH_MARGIN).isBefore(session.expiresAt());
    }

    private Session assume(Request request) {
        String name = StsNames.sourceIdentity(request.username());
        Duration duration = request.maxDuration() == null || request.maxDuration().compareTo(CHAINING_CAP) > 0
                ? CHAINING_CAP : request.maxDuration();
        if (duration.compareTo(Duration.ofMinutes(15)) < 0) {
            duration = Duration.ofMinutes(15); // STS minimum
        }
        int seconds = (int) duration.toSeconds();
        try {
            var response = aws.sts(Region.of(request.region())).assumeRole(r -> r
                    .roleArn(request.roleArn())
                    .roleSessionName(name)
                    .sourceIdentity(name)
                    .durationSeconds(seconds)
                    .tags(Tag.builder().key("latch:user").value(StsNames.tagValue(request.username())).build(),
                            Tag.builder().key("latch:context").value(StsNames.tagValue(request.context())).build()));
            count("ok");
            Credentials c = response.credentials();
            return new Session(AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken()), c.expiration(),
                    response.assumedRoleUser().arn());
        } catch (AwsServiceException e) {
            // operators see AWS trouble in the log (the person sees the problem); no secrets in either
            LOG.warnf("AssumeRole %s for %s failed: %s (%s)", request.roleArn(), name,
                    e.awsErrorDetails() == null ? e.statusCode() : e.awsErrorDetails().errorCode(), e.getMessage());
            count(e.isThrottlingException() ? "throttled" : e.statusCode() == 403 ? "refused" : "error");
            if (e.statusCode() == 403 || "AccessDenied".equals(e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode())) {
                throw new ProblemException(403, "role-trust-refused", "AWS refused the role",
                        "The role " + request.roleArn() + " does not trust Latch (AccessDenied). Check its trust policy: it must allow "
                                + "sts:AssumeRole, sts:SetSourceIdentity and sts:TagSession for the portal's role (docs/aws.md).");
            }
            if (e.isThrottlingException()) {
                throw new ProblemException(503, "sts-throttled", "AWS is busy", "STS is throttling requests; try again in a moment.")
                        .retryAfter(5);
            }
            throw new ProblemException(502, "sts-error", "AWS refused", "STS answered: " + e.getMessage());
        } catch (SdkClientException e) {
            LOG.warnf("STS unreachable for AssumeRole %s: %s", request.roleArn(), e.getMessage());
            count("unreachable");
            throw new ProblemException(503, "sts-unreachable", "AWS unreachable", "STS cannot be reached: " + e.getMessage())
                    .retryAfter(5);
        }
    }
}
