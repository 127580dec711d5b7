package dev.latch.broker;

import dev.latch.aws.AwsClients;
import dev.latch.web.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
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
 * what allowed the session, and a duration within the role-chaining cap.
 *
 * <p>Sessions are cached per (person, role, {@link Basis}): the grant or the standing access that
 * allowed them, so a standing level and a grant on one role never share a session. A session
 * never ends after what allowed it: its duration is capped at the grant's end (or the caller's
 * limit), and a grant is read from PostgreSQL at every use ({@link AllowingGrants}), so a grant
 * ended on any replica stops its cached sessions on every replica. STS makes no session shorter
 * than 15 minutes: when less is left, a cached session that ends in time is still served, and
 * otherwise the request is refused rather than given a session that outlives its grant.
 * Concurrent requests for one key share one STS call (single flight); failures are not cached.
 */
@ApplicationScoped
public class RoleSessions {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(RoleSessions.class);

    static final Duration CHAINING_CAP = Duration.ofHours(1);
    static final Duration REFRESH_MARGIN = Duration.ofMinutes(5);
    /** STS's shortest DurationSeconds (900). */
    static final Duration STS_MINIMUM = Duration.ofMinutes(15);

    private final AwsClients aws;
    private final AllowingGrants grants;
    private final Clock clock;
    private final Map<Key, CompletableFuture<Session>> sessions = new ConcurrentHashMap<>();

    private final io.micrometer.core.instrument.MeterRegistry meters;

    RoleSessions(AwsClients aws, AllowingGrants grants, Clock clock, io.micrometer.core.instrument.MeterRegistry meters) {
        this.aws = aws;
        this.grants = grants;
        this.clock = clock;
        this.meters = meters;
    }

    /** {@code latch_sts_assume_role_total{outcome}}: ok, refused, throttled, error, unreachable. */
    private void count(String outcome) {
        meters.counter("latch.sts.assume.role", "outcome", outcome).increment();
    }

    /** What allowed a session: a grant ({@code id} = grant id) or standing access ({@code id} = level id). */
    public record Basis(Kind kind, UUID id) {

        public enum Kind { GRANT, STANDING }

        public static Basis grant(UUID grantId) {
            return new Basis(Kind.GRANT, grantId);
        }

        public static Basis standing(UUID levelId) {
            return new Basis(Kind.STANDING, levelId);
        }

        /** The {@code latch:context} session tag, e.g. {@code grant:<id>}. */
        public String tag() {
            return kind.name().toLowerCase(java.util.Locale.ROOT) + ":" + id;
        }
    }

    /**
     * What a session is for. {@code notAfter} is the latest the session may end (a grant's end, an
     * issuance's expiry, the standing maximum); for a grant, the grant's end in the database counts too.
     */
    public record Request(String username, String roleArn, String region, Basis basis, Instant notAfter) {
    }

    /** An assumed-role session; {@code expiresAt} never passes what allowed it. */
    public record Session(AwsSessionCredentials credentials, Instant expiresAt, String assumedRoleArn) {
    }

    private record Key(String username, String roleArn, Basis basis) {
    }

    public Session session(Request request) {
        return session(request, Duration.ZERO);
    }

    /**
     * A session with at least {@code minimumLeft} to run (a console sign-in lasts 15 minutes at
     * least, and must not outlive the session's grant either).
     */
    public Session session(Request request, Duration minimumLeft) {
        Instant now = clock.instant();
        Instant notAfter = allowedUntil(request, now);
        boolean canMint = !now.plus(STS_MINIMUM).isAfter(notAfter);
        Key key = new Key(request.username(), request.roleArn(), request.basis());
        while (true) {
            CompletableFuture<Session> mine = new CompletableFuture<>();
            CompletableFuture<Session> current = sessions.compute(key, (k, existing) -> {
                if (existing != null && (!existing.isDone() || servable(existing, now, notAfter, canMint, minimumLeft))) {
                    return existing;
                }
                return canMint ? mine : existing; // too late for a new one: keep what others may still use
            });
            if (current == null || (current != mine && current.isDone() && !servable(current, now, notAfter, false, minimumLeft))) {
                throw tooSoon(request, notAfter);
            }
            if (current == mine) {
                try {
                    mine.complete(assume(request, now, notAfter));
                } catch (RuntimeException e) {
                    sessions.remove(key, mine); // failures are not cached
                    mine.completeExceptionally(e);
                }
            }
            Session session;
            try {
                session = current.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for STS", e);
            }
            if (!session.expiresAt().isAfter(notAfter)) {
                return session;
            }
            // another caller's STS call for this key was made for a later limit than ours: ask again
        }
    }

    /** The cached, still usable sessions of a person in a role, whatever allowed them (diagnostics and tests). */
    public java.util.List<Session> cachedSessions(String username, String roleArn) {
        Instant now = clock.instant();
        return sessions.entrySet().stream().filter(e -> e.getKey().username().equals(username) && e.getKey().roleArn().equals(roleArn))
                .map(Map.Entry::getValue).filter(f -> f.isDone() && !f.isCompletedExceptionally())
                .map(CompletableFuture::join).filter(s -> now.isBefore(s.expiresAt())).toList();
    }

    /** The cached session of a person in a role that lasts longest, if any (diagnostics and tests). */
    public java.util.Optional<Session> cached(String username, String roleArn) {
        return cachedSessions(username, roleArn).stream().max(java.util.Comparator.comparing(Session::expiresAt));
    }

    /** Offboarding: this instance drops a disabled person's sessions at once (others refuse them at their next use). */
    void onUserDisabled(@jakarta.enterprise.event.Observes dev.latch.identity.UserDisabled event) {
        sessions.keySet().removeIf(key -> key.username().equals(event.username()));
    }

    /**
     * Drops sessions that have ended or whose grant has ended (on any replica), so credentials of
     * ended grants do not linger in memory until they expire. Every instance runs it for its own cache.
     */
    @io.quarkus.scheduler.Scheduled(every = "1m", delay = 1, delayUnit = java.util.concurrent.TimeUnit.MINUTES,
            concurrentExecution = io.quarkus.scheduler.Scheduled.ConcurrentExecution.SKIP)
    public void dropEnded() {
        Instant now = clock.instant();
        sessions.entrySet().removeIf(e -> e.getValue().isDone()
                && (e.getValue().isCompletedExceptionally() || !now.isBefore(e.getValue().join().expiresAt())));
        java.util.Set<UUID> cachedGrants = new java.util.HashSet<>();
        sessions.keySet().stream().filter(k -> k.basis().kind() == Basis.Kind.GRANT).forEach(k -> cachedGrants.add(k.basis().id()));
        java.util.Set<UUID> live = grants.live(cachedGrants, now);
        sessions.keySet().removeIf(k -> k.basis().kind() == Basis.Kind.GRANT && !live.contains(k.basis().id()));
    }

    /** The latest a session for this request may end: a grant is asked for in the database, every time. */
    private Instant allowedUntil(Request request, Instant now) {
        if (request.basis().kind() != Basis.Kind.GRANT) {
            return request.notAfter();
        }
        Instant grantEnd = grants.liveUntil(request.basis().id(), request.username(), now).orElseThrow(() -> {
            sessions.keySet().removeIf(k -> k.basis().equals(request.basis()));
            return ProblemException.forbidden("grant-ended", "The grant that allowed this AWS session has ended. "
                    + "See your access, and request it again if you still need it, in the portal.");
        });
        return request.notAfter() == null || grantEnd.isBefore(request.notAfter()) ? grantEnd : request.notAfter();
    }

    /** Ends in time and has {@code minimumLeft} to run; and, when a new one could be made, is not about to end. */
    private static boolean servable(CompletableFuture<Session> future, Instant now, Instant notAfter, boolean canMint, Duration minimumLeft) {
        if (future.isCompletedExceptionally()) {
            return false;
        }
        Session session = future.getNow(null);
        if (session == null || session.expiresAt().isAfter(notAfter)) {
            return false;
        }
        Duration margin = canMint && REFRESH_MARGIN.compareTo(minimumLeft) > 0 ? REFRESH_MARGIN : minimumLeft;
        return now.plus(margin).isBefore(session.expiresAt());
    }

    private static ProblemException tooSoon(Request request, Instant notAfter) {
        String what = request.basis().kind() == Basis.Kind.GRANT ? "Your grant" : "What allows this access (your kubeconfig or standing access)";
        return ProblemException.forbidden("grant-ends-too-soon", what + " ends at " + notAfter.truncatedTo(ChronoUnit.SECONDS)
                + ", in less than 15 minutes: AWS makes no role session shorter than that, and Latch hands out none that outlives "
                + "what allowed it. Request more time (extend the grant) in the portal if you still need it.");
    }

    /** One STS call: as long as the chaining cap allows, never past {@code notAfter} (at least 900 s, checked by the caller). */
    private Session assume(Request request, Instant now, Instant notAfter) {
        String name = StsNames.sourceIdentity(request.username());
        Duration left = Duration.between(now, notAfter);
        int seconds = (int) (left.compareTo(CHAINING_CAP) > 0 ? CHAINING_CAP : left).toSeconds(); // whole seconds, rounded down
        try {
            var response = aws.sts(Region.of(request.region())).assumeRole(r -> r
                    .roleArn(request.roleArn())
                    .roleSessionName(name)
                    .sourceIdentity(name)
                    .durationSeconds(seconds)
                    .tags(Tag.builder().key("latch:user").value(StsNames.tagValue(request.username())).build(),
                            Tag.builder().key("latch:context").value(StsNames.tagValue(request.basis().tag())).build()));
            count("ok");
            Credentials c = response.credentials();
            // STS counts the duration on its own clock; what we report never passes the limit on ours
            Instant expires = c.expiration().isAfter(notAfter) ? notAfter : c.expiration();
            return new Session(AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken()), expires,
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
