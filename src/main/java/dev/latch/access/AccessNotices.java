package dev.latch.access;

import dev.latch.identity.User;
import dev.latch.notify.Notification;
import dev.latch.notify.NotificationType;
import dev.latch.notify.Notifications;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * What people are told about requests and grants, through the transactional outbox: queued in the
 * same transaction as the change it describes, so a rolled-back decision tells nobody and a
 * committed one is never lost. Every message links to the request in the portal.
 */
@ApplicationScoped
public class AccessNotices {

    private static final Logger LOG = Logger.getLogger(AccessNotices.class);

    private final Notifications notifications;

    public AccessNotices(Notifications notifications) {
        this.notifications = notifications;
    }

    void requestCreated(AccessRequest request, List<User> approvers) {
        send(Notification.about(NotificationType.REQUEST_CREATED, request.id)
                .subject("Access request: " + request.requester.username + " asks for " + AccessRequests.levelName(request.level))
                .text(request.requester.displayName + " (" + request.requester.username + ") asks for " + AccessRequests.levelName(request.level)
                        + " for " + dev.latch.web.TimeFormats.length(request.duration) + ".\nReason: " + request.reason
                        + (request.ticketUrl == null ? "" : "\nTicket: " + request.ticketUrl)
                        + "\n\nApprove or deny it with your security key in Latch.")
                .link(notifications.portalLink("/requests/" + request.id)), emails(approvers));
    }

    void requestDecided(AccessRequest request) {
        String outcome = switch (request.status) {
            case AccessRequest.APPROVED -> "approved";
            case AccessRequest.DENIED -> "denied";
            case AccessRequest.EXPIRED -> "expired undecided";
            default -> request.status;
        };
        send(Notification.about(NotificationType.REQUEST_DECIDED, request.id)
                .subject("Your request for " + AccessRequests.levelName(request.level) + " was " + outcome)
                .text("Your request for " + AccessRequests.levelName(request.level) + " (" + dev.latch.web.TimeFormats.length(request.duration)
                        + ") was " + outcome + "." + (AccessRequest.APPROVED.equals(request.status)
                        ? "\nDownload a kubeconfig or open the console from My access; the grant ends by itself." : ""))
                .link(notifications.portalLink("/requests/" + request.id)), emails(List.of(request.requester)));
    }

    void grantEndingSoon(AccessGrant grant) {
        send(Notification.about(NotificationType.GRANT_ENDING, grant.id + "@" + grant.endsAt.getEpochSecond())
                .subject("Your access to " + AccessRequests.levelName(grant.level) + " ends at " + grant.endsAt)
                .text("Your grant for " + AccessRequests.levelName(grant.level) + " ends at " + grant.endsAt
                        + ". Need longer? Use Extend on My access: the same policy decides.")
                .link(notifications.portalLink("/requests/" + grant.requestId)), emails(List.of(grant.user)));
    }

    /** {@code how} ends "Your grant for …": "was revoked by bob at 14:02 UTC: incident over" ({@link GrantEnding#clause}). */
    void grantEnded(AccessGrant grant, String how) {
        send(Notification.about(NotificationType.GRANT_ENDED, grant.id)
                .subject("Your access to " + AccessRequests.levelName(grant.level) + " has ended")
                .text("Your grant for " + AccessRequests.levelName(grant.level) + " " + how
                        + ". Its kubeconfigs and AWS credentials no longer work.")
                .link(notifications.portalLink("/requests/" + grant.requestId)), emails(List.of(grant.user)));
    }

    void breakGlassUsed(AccessGrant grant, AccessRequest request, List<User> approvers) {
        send(Notification.about(NotificationType.BREAK_GLASS_USED, grant.id)
                .subject("BREAK-GLASS: " + grant.user.username + " took " + AccessRequests.levelName(grant.level))
                .text("BREAK-GLASS: " + grant.user.displayName + " (" + grant.user.username + ") activated "
                        + AccessRequests.levelName(grant.level) + " without approval until " + grant.endsAt + ".\nReason: " + request.reason
                        + "\n\nReview it now; approvers and administrators can revoke it in Latch.")
                .link(notifications.portalLink("/requests/" + request.id)), emails(approvers));
    }

    private void send(Notification.Builder builder, Collection<String> to) {
        try {
            notifications.enqueue(builder.to(to).build());
        } catch (IllegalArgumentException unusable) {
            // a malformed address must not undo the decision; the audit log has the event either way
            LOG.warnf("Notification not queued: %s", unusable.getMessage());
        }
    }

    private static List<String> emails(Collection<User> people) {
        List<String> emails = new ArrayList<>();
        people.stream().map(u -> u.email).filter(Objects::nonNull).filter(e -> !e.isBlank()).forEach(emails::add);
        return emails;
    }
}
