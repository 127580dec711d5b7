package dev.latch.broker;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latch.audit.AuditEntry;
import dev.latch.audit.AuditLog;
import dev.latch.identity.User;
import dev.latch.inventory.AccessLevel;
import dev.latch.web.PortalConfig;
import dev.latch.web.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * AWS access from an account's level: credentials for the AWS CLI ({@code credential_process})
 * and console sign-in links through the AWS federation endpoint, both from the person's role
 * session (the Latch username as SourceIdentity).
 */
@ApplicationScoped
public class AwsAccess {

    /** The console session: the role-chaining cap, and never shorter than the federation minimum. */
    static final Duration CONSOLE_SESSION = Duration.ofHours(1);

    /**
     * The shortest console session AWS federation makes (SessionDuration 900 s): a console link
     * needs a role session with that much left, so the console never outlives the grant.
     */
    static final Duration FEDERATION_MINIMUM = Duration.ofMinutes(15);

    private final dev.latch.access.Grants grants;
    private final RoleSessions roleSessions;
    private final BrokerConfig config;
    private final AuditLog audit;
    private final PortalConfig portal;
    private final ObjectMapper json;
    private final Clock clock;
    private final TerminalProduction production;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public AwsAccess(dev.latch.access.Grants grants, RoleSessions roleSessions, BrokerConfig config, AuditLog audit, PortalConfig portal,
            ObjectMapper json, Clock clock, TerminalProduction production) {
        this.production = production;
        this.grants = grants;
        this.roleSessions = roleSessions;
        this.config = config;
        this.audit = audit;
        this.portal = portal;
        this.json = json;
        this.clock = clock;
    }

    /** The JSON a {@code credential_process} prints (Version 1). */
    public record ProcessCredentials(@JsonProperty("Version") int version, @JsonProperty("AccessKeyId") String accessKeyId,
            @JsonProperty("SecretAccessKey") String secretAccessKey, @JsonProperty("SessionToken") String sessionToken,
            @JsonProperty("Expiration") String expiration) {
    }

    /** A console sign-in link, valid 15 minutes. */
    public record ConsoleLink(String url, String expiresAt) {
    }

    /**
     * Credentials for the AWS CLI. {@code terminalLogin} is the helper login asking (its
     * production use needs a recorded key touch, see {@link TerminalProduction}).
     */
    @Transactional // refusals are recorded in their own transaction (refused)
    public ProcessCredentials credentials(User user, AccessLevel level, UUID terminalLogin) {
        RoleSessions.Session session = session(user, level, "aws.credentials", Duration.ZERO, terminalLogin);
        audit.record(AuditEntry.of("aws.credentials.issued").byUser(user.id.toString(), user.username).on("access_level", level.id)
                .detail("account", level.account.accountId).detail("level", level.name).detail("role_session", session.assumedRoleArn())
                .detail("access_key_id", session.credentials().accessKeyId()).detail("expires_at", session.expiresAt().toString()));
        return new ProcessCredentials(1, session.credentials().accessKeyId(), session.credentials().secretAccessKey(),
                session.credentials().sessionToken(), session.expiresAt().truncatedTo(ChronoUnit.SECONDS).toString());
    }

    /** A console link; {@code terminalLogin} is null from the browser (whose own step-up rule applies there). */
    @Transactional
    public ConsoleLink console(User user, AccessLevel level, UUID terminalLogin) {
        RoleSessions.Session session = session(user, level, "aws.console", FEDERATION_MINIMUM, terminalLogin);
        String signinToken;
        try {
            signinToken = signinToken(session);
        } catch (ProblemException failed) {
            throw refused(user, "aws.console", level, failed);
        }
        String url = config.federationEndpoint() + "?Action=login"
                + "&Issuer=" + encode(portal.publicOrigin() + "/")
                + "&Destination=" + encode(config.consoleDestination().toString())
                + "&SigninToken=" + encode(signinToken);
        audit.record(AuditEntry.of("aws.console.opened").byUser(user.id.toString(), user.username).on("access_level", level.id)
                .detail("account", level.account.accountId).detail("level", level.name).detail("role_session", session.assumedRoleArn()));
        return new ConsoleLink(url, clock.instant().plus(Duration.ofMinutes(15)).truncatedTo(ChronoUnit.SECONDS).toString());
    }

    private RoleSessions.Session session(User user, AccessLevel level, String action, Duration minimumLeft, UUID terminalLogin) {
        if (level.account == null) {
            throw refused(user, action, level,
                    ProblemException.notFound("This access level belongs to a cluster; AWS credentials come from an account's levels."));
        }
        String what = level.account.name + " (" + level.name + ")";
        dev.latch.access.Grants.Use use;
        try {
            use = grants.requireUse(user, level, what);
        } catch (ProblemException refused) {
            throw refused(user, action, level, refused);
        }
        try {
            if (terminalLogin != null) {
                production.check(terminalLogin, user, level.account, use.grant(), what);
            }
            // the session is the grant's (or the standing access's) own, and never outlives it
            RoleSessions.Basis basis = use.grant() != null ? RoleSessions.Basis.grant(use.grant().id) : RoleSessions.Basis.standing(level.id);
            return roleSessions.session(new RoleSessions.Request(user.username, level.roleArn, level.account.defaultRegion, basis,
                    use.endsAt(clock.instant())), minimumLeft);
        } catch (ProblemException refused) {
            throw refused(user, action, level, refused);
        }
    }

    /**
     * Puts a refusal (or AWS's failure) on the record in a transaction of its own, so the caller's
     * rollback cannot take it back, and returns it for throwing. Call it before this transaction
     * writes any audit row of its own (the new transaction waits for the chain's lock).
     */
    ProblemException refused(User user, String action, AccessLevel level, ProblemException problem) {
        return refused(user, action, level.id, level.account == null ? null : level.account.accountId, level.name, problem);
    }

    /** Like {@link #refused(User, String, AccessLevel, ProblemException)}, for a level named by the caller (it may not exist). */
    ProblemException refused(User user, String action, java.util.UUID levelId, String account, String levelName, ProblemException problem) {
        AuditEntry entry = AuditEntry.of(action).byUser(user.id.toString(), user.username).on("access_level", levelId)
                .detail("account", account).detail("level", levelName);
        AuditEntry outcome = problem.status() < 500 ? entry.denied(problem.code()) : entry.failed(problem.code());
        audit.recordRefusal(outcome);
        return problem;
    }

    /** Step 3 of the federation flow: the session's credentials for a sign-in token. */
    private String signinToken(RoleSessions.Session session) {
        Map<String, String> credentials = new LinkedHashMap<>();
        credentials.put("sessionId", session.credentials().accessKeyId());
        credentials.put("sessionKey", session.credentials().secretAccessKey());
        credentials.put("sessionToken", session.credentials().sessionToken());
        long remaining = Duration.between(clock.instant(), session.expiresAt()).toSeconds();
        long duration = Math.max(900, Math.min(CONSOLE_SESSION.toSeconds(), remaining));
        try {
            URI uri = URI.create(config.federationEndpoint() + "?Action=getSigninToken&SessionDuration=" + duration
                    + "&Session=" + encode(json.writeValueAsString(credentials)));
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new ProblemException(502, "federation-refused", "AWS sign-in refused",
                        "The AWS federation endpoint answered " + response.statusCode() + "; the console link could not be made.");
            }
            JsonNode body = json.readTree(response.body());
            String token = body.path("SigninToken").asText("");
            if (token.isEmpty()) {
                throw new ProblemException(502, "federation-refused", "AWS sign-in refused",
                        "The AWS federation endpoint gave no sign-in token.");
            }
            return token;
        } catch (IOException e) {
            throw new ProblemException(503, "federation-unreachable", "AWS sign-in unreachable",
                    "The AWS federation endpoint cannot be reached: " + e.getMessage()).retryAfter(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProblemException(503, "federation-unreachable", "AWS sign-in unreachable", "Interrupted.");
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
