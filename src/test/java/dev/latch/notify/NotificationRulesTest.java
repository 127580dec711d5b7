package dev.latch.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The plain-Java rules: what a notification accepts, the backoff, the Slack escaping. No Quarkus. */
class NotificationRulesTest {

    private static final URI LINK = URI.create("https://latch.example.com/requests/1");

    @Test
    void eventKeysAreTypeColonId() {
        UUID id = UUID.randomUUID();
        Notification n = Notification.about(NotificationType.GRANT_ENDED, id).subject("s").link(LINK).build();
        assertEquals("grant.ended:" + id, n.eventKey());
        assertThrows(IllegalArgumentException.class, () -> new Notification("request.created:1", NotificationType.GRANT_ENDED,
                "s", "", LINK, List.of(), null));
        assertThrows(IllegalArgumentException.class, () -> new Notification("grant.ended:", NotificationType.GRANT_ENDED,
                "s", "", LINK, List.of(), null));
    }

    @Test
    void recipientsAreNormalisedAndHeaderInjectionIsRefused() {
        Notification n = Notification.about(NotificationType.REQUEST_DECIDED, 1).subject("s").link(LINK)
                .to(" Ada@Example.com", "ada@example.com", "bob@example.com").build();
        assertEquals(List.of("ada@example.com", "bob@example.com"), n.recipients());
        assertThrows(IllegalArgumentException.class, () -> Notification.about(NotificationType.REQUEST_DECIDED, 1)
                .subject("s").link(LINK).to("ada@example.com\r\nBcc: eve@example.com").build());
        assertThrows(IllegalArgumentException.class, () -> Notification.about(NotificationType.REQUEST_DECIDED, 1)
                .subject("s").link(LINK).to("not-an-address").build());
    }

    @Test
    void subjectsAreOneLineAndLinksAbsolute() {
        Notification n = Notification.about(NotificationType.REQUEST_DECIDED, 1).subject("Approved\r\nBcc: x").link(LINK).build();
        assertEquals("Approved Bcc: x", n.subject());
        assertThrows(IllegalArgumentException.class, () -> Notification.about(NotificationType.REQUEST_DECIDED, 1)
                .subject("s").link(URI.create("/requests/1")).build());
        assertThrows(IllegalArgumentException.class, () -> Notification.about(NotificationType.REQUEST_DECIDED, 1)
                .subject("s").link(URI.create("javascript://x/alert(1)")).build());
    }

    @Test
    void backoffDoublesFromTheBaseUpToTheCap() {
        Backoff backoff = new Backoff(Duration.ofSeconds(30), Duration.ofMinutes(30));
        assertEquals(Duration.ofSeconds(30), backoff.after(1));
        assertEquals(Duration.ofMinutes(1), backoff.after(2));
        assertEquals(Duration.ofMinutes(2), backoff.after(3));
        assertEquals(Duration.ofMinutes(16), backoff.after(6));
        assertEquals(Duration.ofMinutes(30), backoff.after(7));
        assertEquals(Duration.ofMinutes(30), backoff.after(500));
    }

    @Test
    void slackTextCannotMentionOrFakeALink() {
        assertEquals("&lt;!channel&gt; &amp; &lt;https://evil|click&gt;", SlackMessage.escape("<!channel> & <https://evil|click>"));
    }

    @Test
    void webhookErrorsNeverCarryThePath() {
        URI url = URI.create("https://hooks.slack.com/services/T1/B2/secret");
        assertEquals("connect to hooks.slack.com failed at /…", WebhookDelivery.scrub("connect to " + url + " failed at /services/T1/B2/secret", url));
    }

    @Test
    void emailBodiesEndWithTheLink() {
        Notification n = Notification.about(NotificationType.GRANT_ENDING, 1).subject("s").text("Your access ends soon.\n").link(LINK).build();
        assertEquals("Your access ends soon.\n\nOpen in Latch: " + LINK + "\n", Notifications.emailBody(n));
    }
}
