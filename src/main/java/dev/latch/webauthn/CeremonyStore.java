package dev.latch.webauthn;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Pending WebAuthn ceremonies in PostgreSQL, so a ceremony started on one replica finishes on
 * another. {@link #consume} deletes the row as it reads it: a ceremony is used at most once, and
 * it is gone before its response is verified (as Yubico's documentation asks), so a replayed or
 * retried response finds nothing.
 */
@ApplicationScoped
public class CeremonyStore {

    /** What a ceremony is for. */
    public enum Kind {
        REGISTRATION, SIGN_IN, STEP_UP, DECISION;

        String dbValue() {
            return name().toLowerCase();
        }
    }

    /** A consumed ceremony: the stored request JSON and who/what it was for. */
    public record Pending(UUID id, Kind kind, String requestJson, UUID userId, UUID sessionId, Map<String, String> context) {
    }

    private static final TypeReference<Map<String, String>> CONTEXT = new TypeReference<>() {
    };

    private final EntityManager em;
    private final ObjectMapper json;
    private final Clock clock;
    private final Duration timeout;

    public CeremonyStore(EntityManager em, ObjectMapper json, Clock clock, WebAuthnConfig config) {
        this.em = em;
        this.json = json;
        this.clock = clock;
        this.timeout = config.ceremonyTimeout();
    }

    @Transactional
    public UUID save(Kind kind, String requestJson, UUID userId, UUID sessionId, Map<String, String> context) {
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        em.createNativeQuery("""
                INSERT INTO webauthn_ceremony (id, kind, request_json, user_id, session_id, context, created_at, expires_at)
                VALUES (?1, ?2, ?3, ?4, ?5, CAST(?6 AS jsonb), ?7, ?8)""")
                .setParameter(1, id)
                .setParameter(2, kind.dbValue())
                .setParameter(3, requestJson)
                .setParameter(4, userId)
                .setParameter(5, sessionId)
                .setParameter(6, write(context))
                .setParameter(7, now)
                .setParameter(8, now.plus(timeout))
                .executeUpdate();
        return id;
    }

    /** Takes the ceremony out of the store; empty if unknown, of another kind, used or expired. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<Pending> consume(UUID id, Kind kind) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                DELETE FROM webauthn_ceremony WHERE id = ?1 AND kind = ?2
                RETURNING request_json, user_id, session_id, CAST(context AS text), expires_at""")
                .setParameter(1, id)
                .setParameter(2, kind.dbValue())
                .getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] row = rows.get(0);
        Instant expires = toInstant(row[4]);
        if (!clock.instant().isBefore(expires)) {
            return Optional.empty();
        }
        return Optional.of(new Pending(id, kind, (String) row[0], (UUID) row[1], (UUID) row[2], read((String) row[3])));
    }

    /** Deletes ceremonies that expired unfinished. */
    @Transactional
    public int purgeExpired() {
        return em.createNativeQuery("DELETE FROM webauthn_ceremony WHERE expires_at < ?1")
                .setParameter(1, clock.instant())
                .executeUpdate();
    }

    private static Instant toInstant(Object value) {
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof OffsetDateTime odt) {
            return odt.toInstant();
        }
        if (value instanceof java.sql.Timestamp ts) {
            return ts.toInstant();
        }
        throw new IllegalStateException("unexpected timestamp type " + value.getClass());
    }

    private String write(Map<String, String> context) {
        try {
            return json.writeValueAsString(context == null ? Map.of() : context);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, String> read(String text) {
        try {
            return text == null ? Map.of() : json.readValue(text, CONTEXT);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
