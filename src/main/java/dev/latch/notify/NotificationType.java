package dev.latch.notify;

/** What happened. The key starts every event key of the type and fills {@code event_type}. */
public enum NotificationType {
    /** A request for access waits for approvers; sent to them. */
    REQUEST_CREATED("request.created"),
    /** A request was approved or denied; sent to the requester. */
    REQUEST_DECIDED("request.decided"),
    /** A grant ends in 15 minutes; sent to its holder. */
    GRANT_ENDING("grant.ending"),
    /** A grant ended (expired or revoked); sent to its holder. */
    GRANT_ENDED("grant.ended"),
    /** Someone used break-glass access; sent to the people who watch for it. */
    BREAK_GLASS_USED("break_glass.used"),
    /** One of a person's security keys was revoked (by them or an administrator); sent to that person. */
    KEY_REVOKED("key.revoked"),
    /** An administrator asked for a key-recovery link for an approver; sent to the other administrators. */
    KEY_RECOVERY_REQUESTED("key_recovery.requested"),
    /** A key-recovery link was issued for an approver; sent to every administrator and the person. */
    KEY_RECOVERY_ISSUED("key_recovery.issued");

    private final String key;

    NotificationType(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    /** The event key for this type and the thing it is about, e.g. {@code request.created:<request id>}. */
    public String eventKey(Object subjectId) {
        return key + ":" + subjectId;
    }
}
