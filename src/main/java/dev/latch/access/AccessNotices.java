package dev.latch.access;

import jakarta.enterprise.context.ApplicationScoped;

/** What people are told about requests and grants (filled in with the notification outbox). */
@ApplicationScoped
public class AccessNotices {

    void requestCreated(AccessRequest request, java.util.List<dev.latch.identity.User> approvers) {
    }

    void requestDecided(AccessRequest request) {
    }

    void grantEndingSoon(AccessGrant grant) {
    }

    void grantEnded(AccessGrant grant, String reason) {
    }

    void breakGlassUsed(AccessGrant grant, AccessRequest request, java.util.List<dev.latch.identity.User> approvers) {
    }
}
