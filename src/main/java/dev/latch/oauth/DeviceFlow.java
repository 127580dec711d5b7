package dev.latch.oauth;

import dev.latch.audit.AuditEntry;
import dev.latch.audit.AuditLog;
import dev.latch.identity.User;
import dev.latch.support.Secrets;
import dev.latch.web.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * The device authorization grant (RFC 8628): codes, polling and the person's decision. Every
 * step reads and writes PostgreSQL, so the helper may poll one replica while the person approves
 * on another.
 */
@ApplicationScoped
public class DeviceFlow {

    private final OAuthConfig config;
    private final TokenIssuer tokens;
    private final AuditLog audit;
    private final Clock clock;

    public DeviceFlow(OAuthConfig config, TokenIssuer tokens, AuditLog audit, Clock clock) {
        this.config = config;
        this.tokens = tokens;
        this.audit = audit;
        this.clock = clock;
    }

    /** What the helper says about itself when it asks; shown on the approval page. */
    public record ClientInfo(String clientId, String clientName, String hostName, String os, String ip) {
    }

    /** The codes handed to the helper (RFC 8628 §3.2). The device code is returned once, never stored. */
    public record Codes(String deviceCode, String userCode, long expiresIn, long interval) {
    }

    @Transactional
    public Codes authorize(ClientInfo client) {
        Instant now = clock.instant();
        String deviceCode = Secrets.newSecret();
        DeviceAuthorization request = new DeviceAuthorization();
        request.id = UUID.randomUUID();
        request.deviceCodeHash = Secrets.hash(deviceCode);
        request.userCode = freeUserCode();
        request.clientId = client.clientId();
        request.clientName = trim(client.clientName(), 60, "latch");
        request.hostName = trim(client.hostName(), 100, null);
        request.os = trim(client.os(), 100, null);
        request.requestIp = client.ip();
        request.createdAt = now;
        request.expiresAt = now.plus(config.deviceCodeLifetime());
        request.intervalSeconds = (int) config.pollInterval().toSeconds();
        request.persist();
        return new Codes(deviceCode, UserCodes.display(request.userCode), config.deviceCodeLifetime().toSeconds(),
                request.intervalSeconds);
    }

    /**
     * One poll of the token endpoint (RFC 8628 §3.4/3.5). Answers with tokens once approved and
     * consumes the device code; otherwise throws the protocol error the helper acts on.
     */
    @Transactional(dontRollbackOn = OAuthException.class)
    public TokenIssuer.Tokens poll(String deviceCode, String clientId, String jkt) {
        if (deviceCode == null || deviceCode.isBlank()) {
            throw OAuthException.invalidRequest("device_code is required");
        }
        DeviceAuthorization request = DeviceAuthorization.<DeviceAuthorization>find("deviceCodeHash", (Object) Secrets.hash(deviceCode))
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
        if (request == null || !request.clientId.equals(clientId)) {
            throw OAuthException.invalidGrant("Unknown device code.");
        }
        if (DeviceAuthorization.CONSUMED.equals(request.status)) {
            throw OAuthException.invalidGrant("This device code was already used.");
        }
        Instant now = clock.instant();
        if (request.isExpired(now)) {
            throw new OAuthException("expired_token", "The device code expired. Run `latch login` again.");
        }
        if (DeviceAuthorization.DENIED.equals(request.status)) {
            throw new OAuthException("access_denied", DeviceAuthorization.WRONG_ENTRIES.equals(request.closedReason)
                    ? "Too many wrong codes close to this one were entered, so it was closed. Run `latch login` again and type the new code carefully."
                    : "The request was denied in the browser.");
        }
        if (DeviceAuthorization.PENDING.equals(request.status)) {
            boolean tooFast = request.lastPolledAt != null
                    && Duration.between(request.lastPolledAt, now).compareTo(Duration.ofSeconds(request.intervalSeconds)) < 0;
            request.lastPolledAt = now;
            if (tooFast) {
                request.intervalSeconds += 5; // RFC 8628 §3.5: for this and all later requests
                throw new OAuthException("slow_down", "Polling too fast; wait " + request.intervalSeconds + " s between requests.");
            }
            throw new OAuthException("authorization_pending", "Waiting for approval in the browser.");
        }
        User user = User.findById(request.userId);
        if (user == null || !user.isActive()) {
            throw new OAuthException("access_denied", "The account that approved this request is disabled.");
        }
        request.status = DeviceAuthorization.CONSUMED;
        TokenIssuer.Tokens issued = tokens.startFamily(user, request, jkt);
        request.familyId = issued.familyId();
        audit.record(AuditEntry.of("device.login_completed").byUser(user.id.toString(), user.username)
                .on("token_family", issued.familyId()).detail("client", request.clientName).detail("host", request.hostName));
        return issued;
    }

    /** The live request behind a code a person typed; the same 404 for unknown, decided and expired codes. */
    @Transactional
    public DeviceAuthorization pendingByUserCode(String typed) {
        String code = UserCodes.normalise(typed);
        DeviceAuthorization request = code == null ? null
                : DeviceAuthorization.<DeviceAuthorization>find("userCode = ?1 and status = ?2", code, DeviceAuthorization.PENDING).firstResult();
        if (request == null || request.isExpired(clock.instant())) {
            throw new ProblemException(404, "device-code-unknown", "Code not found",
                    "No pending sign-in request has that code. Check the code in your terminal, or run `latch login` again.");
        }
        return request;
    }

    /**
     * Counts a wrong entry against every pending code it is close to (one or two letters off: a
     * typo, or a guesser working from a partly seen code) and closes a code that reached the cap
     * (RFC 8628 §5.1), so the guesses aimed at one code are bounded whoever makes them and from
     * wherever. A random wrong entry is close to no code and counts only against the guesser's own
     * limit. In its own transaction: the refusal that follows must not take the count with it.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void countWrongEntry(String typed) {
        String code = UserCodes.normalise(typed);
        if (code == null) {
            return;
        }
        Instant now = clock.instant();
        StringBuilder distance = new StringBuilder();
        for (int i = 1; i <= 8; i++) {
            distance.append(i == 1 ? "" : " + ").append("(substr(user_code, ").append(i).append(", 1) <> substr(?1, ").append(i)
                    .append(", 1))::int");
        }
        @SuppressWarnings("unchecked")
        java.util.List<Object[]> closed = DeviceAuthorization.getEntityManager().createNativeQuery("""
                UPDATE device_authorization SET wrong_entries = wrong_entries + 1,
                    status = CASE WHEN wrong_entries + 1 >= ?3 THEN 'denied' ELSE status END,
                    decided_at = CASE WHEN wrong_entries + 1 >= ?3 THEN ?2 ELSE decided_at END,
                    closed_reason = CASE WHEN wrong_entries + 1 >= ?3 THEN 'wrong-entries' ELSE closed_reason END
                WHERE status = 'pending' AND expires_at > ?2 AND user_code <> ?1 AND (%s) <= 2
                RETURNING CAST(id AS text), status, client_name, host_name""".formatted(distance))
                .setParameter(1, code).setParameter(2, now).setParameter(3, config.wrongEntriesPerCode())
                .getResultList();
        for (Object[] row : closed) {
            if (DeviceAuthorization.DENIED.equals(row[1])) {
                audit.record(AuditEntry.of("device.code_closed").bySystem("device-flow").on("device_authorization", row[0])
                        .detail("reason", DeviceAuthorization.WRONG_ENTRIES).detail("client", (String) row[2])
                        .detail("host", (String) row[3]));
            }
        }
    }

    @Transactional
    public DeviceAuthorization pendingById(UUID id) {
        DeviceAuthorization request = DeviceAuthorization.findById(id);
        if (request == null || !DeviceAuthorization.PENDING.equals(request.status) || request.isExpired(clock.instant())) {
            throw new ProblemException(404, "device-code-unknown", "Request not found",
                    "This sign-in request is no longer waiting: it was decided or has expired. Run `latch login` again.");
        }
        return request;
    }

    /** The person's decision; only a pending, unexpired request can be decided, once. */
    @Transactional
    public void decide(UUID id, User user, UUID sessionId, boolean approve) {
        DeviceAuthorization request = DeviceAuthorization.<DeviceAuthorization>findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE)
                .orElse(null);
        if (request == null || !DeviceAuthorization.PENDING.equals(request.status) || request.isExpired(clock.instant())) {
            throw new ProblemException(409, "device-request-decided", "Already decided",
                    "This sign-in request was already decided or has expired.");
        }
        request.status = approve ? DeviceAuthorization.APPROVED : DeviceAuthorization.DENIED;
        request.userId = user.id;
        request.sessionId = sessionId;
        request.decidedAt = clock.instant();
        audit.record(AuditEntry.of(approve ? "device.approved" : "device.denied").byUser(user.id.toString(), user.username)
                .on("device_authorization", request.id).detail("client", request.clientName)
                .detail("host", request.hostName).detail("request_ip", request.requestIp));
    }

    private String freeUserCode() {
        for (int attempt = 0; attempt < 10; attempt++) {
            String code = UserCodes.generate();
            if (DeviceAuthorization.count("userCode = ?1 and status = ?2", code, DeviceAuthorization.PENDING) == 0) {
                return code;
            }
        }
        throw new IllegalStateException("could not find a free user code");
    }

    private static String trim(String value, int max, String fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        String clean = value.replaceAll("\\p{Cntrl}", "").trim();
        return clean.length() > max ? clean.substring(0, max) : clean;
    }
}
