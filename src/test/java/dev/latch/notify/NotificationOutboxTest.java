package dev.latch.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latch.testing.TestClock;
import io.agroal.api.AgroalDataSource;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.MockMailbox;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The outbox against the real database, the mock mailbox and a local webhook receiver: what a
 * transaction commits is delivered once, what it rolls back never is, failures are retried with
 * backoff until a limit, and two workers racing never send a message twice.
 */
@QuarkusTest
@TestProfile(NotificationOutboxTest.WithWebhook.class)
class NotificationOutboxTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A webhook pointing at the test's receiver; the schedule is off, tests run the worker themselves. */
    public static class WithWebhook implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            int port = WebhookReceiver.startOnce();
            return Map.of(
                    "latch.notify.every", "off",
                    "latch.notify.webhook.url", WebhookReceiver.hookUrl(port),
                    "latch.notify.max-attempts", "4",
                    "latch.notify.email.from", "latch@example.test",
                    "quarkus.mailer.mock", "true",
                    // no HTTP calls to the portal here: free ports keep this test clear of other builds on 8081.
                    // Both servers, or neither: Quarkus tags HTTP metrics with server_port only for a fixed
                    // port, and two servers whose meters differ in tag keys stop the start (Prometheus).
                    "quarkus.http.test-port", "0",
                    "quarkus.management.test-port", "0");
        }
    }

    @Inject
    Notifications notifications;

    @Inject
    OutboxWorker worker;

    @Inject
    MockMailbox mailbox;

    @Inject
    AgroalDataSource dataSource;

    @AfterEach
    void resetClock() {
        TestClock.reset();
    }

    @Test
    void aCommittedEventIsDeliveredByEmailWithItsLink() {
        UUID id = UUID.randomUUID();
        String to = "approver-" + id + "@example.com";
        Notification n = requestCreated(id).to(to).build();

        assertEquals(2, QuarkusTransaction.requiringNew().call(() -> notifications.enqueue(n)));
        assertTrue(mailbox.getMailsSentTo(to).isEmpty(), "nothing is sent before the worker runs");

        drain();
        List<Mail> mails = mailbox.getMailsSentTo(to);
        assertEquals(1, mails.size());
        Mail mail = mails.get(0);
        assertEquals("Ada asks for admin on production", mail.getSubject());
        assertEquals("latch@example.test", mail.getFrom());
        assertTrue(mail.getText().startsWith("Ada asks for admin on production for 1 hour."), mail.getText());
        assertTrue(mail.getText().endsWith("Open in Latch: http://localhost:8081/requests/" + id + "\n"), mail.getText());
        assertEquals(List.of("auto-generated"), mail.getHeaders().get("Auto-Submitted"));

        Row row = row(n.eventKey(), "email");
        assertNotNull(row.deliveredAt());
        assertEquals(1, row.attempts());
        assertEquals(1, WebhookReceiver.received(id.toString()).size(), "and one webhook message");
    }

    @Test
    void aRolledBackEventIsNeverDelivered() {
        UUID id = UUID.randomUUID();
        String to = "approver-" + id + "@example.com";
        Notification n = requestCreated(id).to(to).build();

        assertThrows(IllegalStateException.class, () -> QuarkusTransaction.requiringNew().run(() -> {
            notifications.enqueue(n);
            throw new IllegalStateException("the state change failed");
        }));

        drain();
        assertEquals(0, count(n.eventKey()));
        assertTrue(mailbox.getMailsSentTo(to).isEmpty());
        assertTrue(WebhookReceiver.received(id.toString()).isEmpty());
    }

    @Test
    void theSameEventIsQueuedAndSentOncePerRecipient() {
        UUID id = UUID.randomUUID();
        String to = "approver-" + id + "@example.com";
        Notification n = requestCreated(id).to(to, " " + to.toUpperCase() + " ").build();
        assertEquals(List.of(to), n.recipients());

        assertEquals(2, notifications.enqueue(n));
        assertEquals(0, notifications.enqueue(n), "a second enqueue of the event is a no-op");
        drain();
        assertEquals(0, notifications.enqueue(n), "also after delivery");
        drain();

        assertEquals(1, mailbox.getMailsSentTo(to).size());
        assertEquals(1, WebhookReceiver.received(id.toString()).size());
        assertEquals(2, count(n.eventKey()));
    }

    @Test
    void theWebhookGetsSlackJsonWithTheLinkAndEscapedText() throws Exception {
        UUID id = UUID.randomUUID();
        Notification n = Notification.about(NotificationType.BREAK_GLASS_USED, id)
                .subject("Break-glass: ada on production")
                .text("Reason: <!channel> db down & paging")
                .link(notifications.portalLink("/grants/" + id))
                .build();
        notifications.enqueue(n);
        drain();

        List<JsonNode> got = WebhookReceiver.received(id.toString());
        assertEquals(1, got.size());
        JsonNode post = got.get(0);
        assertEquals("POST", post.path("method").asText());
        assertEquals(WebhookReceiver.HOOK_PATH, post.path("path").asText());
        assertTrue(post.path("contentType").asText().startsWith("application/json"));
        assertEquals(row(n.eventKey(), "webhook").id().toString(), post.path("idempotencyKey").asText());

        JsonNode message = JSON.readTree(post.path("body").asText());
        String link = "http://localhost:8081/grants/" + id;
        assertEquals("Break-glass: ada on production: " + link, message.path("text").asText());
        JsonNode block = message.path("blocks").get(0);
        assertEquals("section", block.path("type").asText());
        assertEquals("mrkdwn", block.path("text").path("type").asText());
        assertEquals("*Break-glass: ada on production*\nReason: &lt;!channel&gt; db down &amp; paging\n<" + link + "|Open in Latch>",
                block.path("text").path("text").asText());
    }

    @Test
    void aWebhookThatFailsThreeTimesGetsTheMessageOnceAfterBackingOff() {
        UUID id = UUID.randomUUID();
        WebhookReceiver.failNext(id.toString(), 3);
        Notification n = requestCreated(id).build();
        notifications.enqueue(n);

        Duration wait = Duration.ofSeconds(30);
        for (int attempt = 1; attempt <= 3; attempt++) {
            Instant before = TestClock.now();
            drain();
            Instant after = TestClock.now();
            Row row = row(n.eventKey(), "webhook");
            assertEquals(attempt, row.attempts());
            assertNull(row.deliveredAt());
            assertNull(row.failedAt());
            assertEquals("webhook 127.0.0.1: HTTP 500 internal_error", row.lastError());
            // 30 s, then 1 min, then 2 min
            assertFalse(row.nextAttemptAt().isBefore(before.plus(wait)), row.toString());
            assertFalse(row.nextAttemptAt().isAfter(after.plus(wait)), row.toString());

            drain();
            assertEquals(attempt, WebhookReceiver.received(id.toString()).size(), "not retried before the backoff ends");
            TestClock.advance(wait.plusSeconds(1));
            wait = wait.multipliedBy(2);
        }
        drain();

        List<JsonNode> got = WebhookReceiver.received(id.toString());
        assertEquals(List.of(500, 500, 500, 200), got.stream().map(p -> p.path("status").asInt()).toList());
        assertEquals(1, got.stream().map(p -> p.path("idempotencyKey").asText()).distinct().count(), "one message, four attempts");
        Row row = row(n.eventKey(), "webhook");
        assertNotNull(row.deliveredAt());
        assertEquals(4, row.attempts());
        assertNull(row.lastError());

        TestClock.advance(Duration.ofHours(1));
        drain();
        assertEquals(4, WebhookReceiver.received(id.toString()).size(), "delivered means never again");
    }

    @Test
    void theWorkerGivesUpAfterTheMaximumAttempts() {
        UUID id = UUID.randomUUID();
        WebhookReceiver.failNext(id.toString(), 1000);
        Notification n = requestCreated(id).build();
        notifications.enqueue(n);

        for (int i = 0; i < 6; i++) {
            drain();
            TestClock.advance(Duration.ofMinutes(31));
        }

        Row row = row(n.eventKey(), "webhook");
        assertEquals(4, row.attempts());
        assertNotNull(row.failedAt());
        assertNull(row.deliveredAt());
        assertTrue(row.lastError().startsWith("webhook 127.0.0.1: HTTP 500"), row.lastError());
        assertFalse(row.lastError().contains("s3cr3t"), "the webhook's path is a secret");
        assertEquals(4, WebhookReceiver.received(id.toString()).size());
    }

    /** A webhook that is down gives one warning for the outage, not one per message and attempt, and a line when it is back. */
    @Test
    void aFailureStreakIsLoggedOnceAndItsEndOnce() {
        UUID working = UUID.randomUUID();
        notifications.enqueue(requestCreated(working).build());
        drain();
        assertEquals(1, WebhookReceiver.received(working.toString()).size(), "the channel works before the outage");

        List<java.util.logging.LogRecord> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                logged.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(OutboxWorker.class.getName());
        logger.addHandler(capture);
        try {
            UUID first = UUID.randomUUID();
            UUID second = UUID.randomUUID();
            WebhookReceiver.failNext(first.toString(), 2);
            WebhookReceiver.failNext(second.toString(), 2);
            notifications.enqueue(requestCreated(first).build());
            notifications.enqueue(requestCreated(second).build());
            for (int i = 0; i < 3; i++) {
                drain();
                TestClock.advance(Duration.ofMinutes(2));
            }
            assertEquals(3, WebhookReceiver.received(first.toString()).size());
            assertEquals(3, WebhookReceiver.received(second.toString()).size());
        } finally {
            logger.removeHandler(capture);
        }
        List<String> warnings = logged.stream()
                .filter(r -> r.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue())
                .map(r -> String.valueOf(r.getMessage())).toList();
        assertEquals(1, warnings.size(), "four failed attempts, one outage: " + warnings);
        assertTrue(warnings.get(0).contains("webhook") && warnings.get(0).contains("HTTP 500"), warnings.get(0));
        assertTrue(logged.stream().noneMatch(r -> r.getThrown() != null), "no stack traces");
        assertEquals(1, logged.stream().filter(r -> String.valueOf(r.getMessage()).contains("work again after 4 failed attempt")).count(),
                logged.stream().map(java.util.logging.LogRecord::getMessage).toList().toString());
    }

    @Test
    void twoWorkersRacingDeliverEachMessageOnce() throws Exception {
        String race = "race-" + UUID.randomUUID();
        int messages = 40;
        Set<String> links = new HashSet<>();
        QuarkusTransaction.requiringNew().run(() -> {
            for (int i = 0; i < messages; i++) {
                UUID id = UUID.randomUUID();
                Notification n = Notification.about(NotificationType.GRANT_ENDING, id)
                        .subject("Your access ends in 15 minutes")
                        .text(race)
                        .link(notifications.portalLink("/grants/" + id))
                        .build();
                links.add(n.link().toString());
                notifications.enqueue(n);
            }
        });

        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> workers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                workers.add(pool.submit((Callable<Integer>) () -> {
                    start.await();
                    return drain();
                }));
            }
            start.countDown();
            for (Future<Integer> f : workers) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        List<JsonNode> got = WebhookReceiver.received(race);
        assertEquals(messages, got.size(), "each message posted exactly once");
        Set<String> seen = new HashSet<>();
        for (JsonNode post : got) {
            assertEquals(200, post.path("status").asInt());
            String text = JSON.readTree(post.path("body").asText()).path("text").asText();
            assertTrue(seen.add(text.substring(text.indexOf("http"))), "posted twice: " + text);
        }
        assertEquals(links, seen);
        assertEquals(messages, countWhere("body = ? AND delivered_at IS NOT NULL AND attempts = 1", race));
    }

    private Notification.Builder requestCreated(UUID id) {
        return Notification.about(NotificationType.REQUEST_CREATED, id)
                .subject("Ada asks for admin on production")
                .text("Ada asks for admin on production for 1 hour.\nReason: incident INC-42")
                .link(notifications.portalLink("/requests/" + id));
    }

    /** Runs the worker until nothing is due; returns how many messages it tried. */
    private int drain() {
        int total = 0;
        for (int i = 0; i < 100; i++) {
            int tried = worker.deliverDue();
            if (tried == 0) {
                return total;
            }
            total += tried;
        }
        throw new AssertionError("the outbox never ran dry");
    }

    record Row(UUID id, int attempts, Instant nextAttemptAt, Instant deliveredAt, Instant failedAt, String lastError) {
    }

    private Row row(String eventKey, String channel) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT id, attempts, next_attempt_at, delivered_at, failed_at, last_error FROM notification_outbox "
                        + "WHERE event_key = ? AND channel = ?")) {
            s.setString(1, eventKey);
            s.setString(2, channel);
            try (ResultSet r = s.executeQuery()) {
                assertTrue(r.next(), "no " + channel + " row for " + eventKey);
                return new Row(r.getObject(1, UUID.class), r.getInt(2), instant(r, 3), instant(r, 4), instant(r, 5), r.getString(6));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Instant instant(ResultSet r, int column) throws SQLException {
        java.time.OffsetDateTime t = r.getObject(column, java.time.OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private long count(String eventKey) {
        return countWhere("event_key = ?", eventKey);
    }

    private long countWhere(String where, String value) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT count(*) FROM notification_outbox WHERE " + where)) {
            s.setString(1, value);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
