/**
 * Notifications through a transactional outbox: email (Quarkus Mailer) and one Slack-compatible
 * incoming webhook.
 *
 * <p>How it works: a feature builds a {@link dev.latch.notify.Notification} (event key such as
 * {@code request.created:<request id>}, subject, text, a link into the portal, email recipients)
 * and calls {@link dev.latch.notify.Notifications#enqueue(Notification)} inside the transaction of
 * the change it announces. That writes one {@code notification_outbox} row per email recipient
 * and one for the webhook, so the messages commit or roll back with the change. A unique key on
 * (event key, channel, recipient) with {@code ON CONFLICT DO NOTHING} makes a repeated enqueue of
 * the same event a no-op. {@link dev.latch.notify.OutboxWorker} runs on every replica every 10 s;
 * it claims one due row at a time with {@code SELECT … FOR UPDATE SKIP LOCKED} in its own
 * transaction, sends it while holding the row lock, and in the same transaction marks it
 * delivered, or counts the attempt and sets the next one (30 s, doubling, capped at 30 min), or
 * after the last allowed attempt marks it failed. Replicas never pick the same row: a locked row
 * is skipped, and an unlocked one is re-checked against "not delivered" before it is taken.
 *
 * <p>The guarantee, honestly: never lost once committed, never sent twice by two workers, but
 * <em>at least once</em> towards the outside world, not exactly once. If the SMTP server or the
 * webhook has accepted a message and the replica dies, the database connection drops or the
 * commit fails before the row is marked, the row is still due and is sent again later. One
 * transaction per message keeps that window to one message per worker, and short timeouts
 * ({@code quarkus.mailer.timeout}, {@code latch.notify.webhook.timeout}) keep the lock and the
 * transaction short. Resends carry the same {@code Message-ID} (email) and {@code Idempotency-Key}
 * (webhook) so a receiver can recognise them; Slack itself does not deduplicate.
 *
 * <p>Secrets: a Slack webhook URL is a credential, so it lives in configuration only; rows name
 * the webhook as {@code webhook}, and logs and {@code last_error} show its host alone. Message
 * text is escaped for Slack mrkdwn, so text typed by users cannot mention a channel.
 */
package dev.latch.notify;
