package dev.latch.audit;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a feature tells the audit log: who did what to which object, and how it ended.
 * Build one with {@link #of(String)}; request id and client address are added by the log.
 */
public final class AuditEntry {

    /** How the action ended. */
    public enum Outcome { SUCCESS, FAILURE, DENIED }

    /** The kind of actor. */
    public enum ActorType { USER, SYSTEM, ANONYMOUS, CLIENT }

    private final String action;
    private ActorType actorType = ActorType.SYSTEM;
    private String actorId;
    private String actorName;
    private String targetType;
    private String targetId;
    private Outcome outcome = Outcome.SUCCESS;
    private final Map<String, String> details = new TreeMap<>();

    private AuditEntry(String action) {
        if (action == null || !action.matches("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+")) {
            throw new IllegalArgumentException("audit actions are dotted lower-case names, e.g. user.signin: " + action);
        }
        this.action = action;
    }

    /** An entry for an action such as {@code user.signin} or {@code kube.token_minted}. */
    public static AuditEntry of(String action) {
        return new AuditEntry(action);
    }

    public AuditEntry byUser(String id, String name) {
        this.actorType = ActorType.USER;
        this.actorId = id;
        this.actorName = name;
        return this;
    }

    public AuditEntry byAnonymous() {
        this.actorType = ActorType.ANONYMOUS;
        this.actorId = null;
        this.actorName = null;
        return this;
    }

    public AuditEntry bySystem(String component) {
        this.actorType = ActorType.SYSTEM;
        this.actorId = null;
        this.actorName = component;
        return this;
    }

    public AuditEntry on(String type, Object id) {
        this.targetType = type;
        this.targetId = id == null ? null : id.toString();
        return this;
    }

    public AuditEntry outcome(Outcome outcome) {
        this.outcome = Objects.requireNonNull(outcome);
        return this;
    }

    public AuditEntry failed(String reason) {
        this.outcome = Outcome.FAILURE;
        return detail("reason", reason);
    }

    public AuditEntry denied(String reason) {
        this.outcome = Outcome.DENIED;
        return detail("reason", reason);
    }

    /** Adds a detail; null values are left out. Never pass a secret. */
    public AuditEntry detail(String key, Object value) {
        if (value != null) {
            details.put(Objects.requireNonNull(key), value.toString());
        }
        return this;
    }

    public String action() { return action; }
    public ActorType actorType() { return actorType; }
    public String actorId() { return actorId; }
    public String actorName() { return actorName; }
    public String targetType() { return targetType; }
    public String targetId() { return targetId; }
    public Outcome outcome() { return outcome; }
    public Map<String, String> details() { return Map.copyOf(details); }
}
