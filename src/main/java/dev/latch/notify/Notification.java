package dev.latch.notify;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One event to announce: an email to each recipient and, when a webhook is configured, one
 * webhook message. Build it with {@link #about(NotificationType, Object)}.
 *
 * @param eventKey    unique per event, {@code <type key>:<id>}, e.g. {@code request.created:<request id>};
 *                    the same key is never delivered twice to one recipient
 * @param type        what happened
 * @param subject     the email subject, and the webhook message's headline (one line)
 * @param text        the plain-text email body; the link is appended to it
 * @param link        the portal page the event is about: absolute {@code http(s)} URL
 * @param recipients  email addresses, trimmed, lower-cased and without duplicates; may be empty
 * @param webhookText the webhook message's body under the headline (plain text, escaped for
 *                    Slack mrkdwn when sent); defaults to {@code text}
 */
public record Notification(String eventKey, NotificationType type, String subject, String text, URI link,
        List<String> recipients, String webhookText) {

    // deliberately plain: one @, no spaces, no characters that could split or inject a header
    private static final Pattern EMAIL = Pattern.compile("[^@\\s,;<>\"]+@[^@\\s,;<>\"]+\\.[^@\\s,;<>\"]+");
    private static final int MAX_KEY = 200;
    private static final int MAX_SUBJECT = 200;

    public Notification {
        Objects.requireNonNull(type, "type");
        if (eventKey == null || !eventKey.startsWith(type.key() + ":") || eventKey.length() > MAX_KEY
                || eventKey.length() == type.key().length() + 1) {
            throw new IllegalArgumentException("event key must be '" + type.key() + ":<id>': " + eventKey);
        }
        subject = oneLine(Objects.requireNonNull(subject, "subject"));
        if (subject.isEmpty() || subject.length() > MAX_SUBJECT) {
            throw new IllegalArgumentException("subject must be 1 to " + MAX_SUBJECT + " characters");
        }
        text = Objects.requireNonNull(text, "text");
        Objects.requireNonNull(link, "link");
        if (!link.isAbsolute() || !("https".equals(link.getScheme()) || "http".equals(link.getScheme())) || link.getHost() == null) {
            throw new IllegalArgumentException("link must be an absolute http(s) URL: " + link);
        }
        recipients = normalise(recipients == null ? List.of() : recipients);
        webhookText = webhookText == null ? text : webhookText;
    }

    /** Starts a notification about the thing with this id (a request, a grant). */
    public static Builder about(NotificationType type, Object subjectId) {
        return new Builder(type, type.eventKey(Objects.requireNonNull(subjectId, "subjectId")));
    }

    private static String oneLine(String s) {
        return s.replaceAll("[\\r\\n\\t]+", " ").strip();
    }

    private static List<String> normalise(Collection<String> addresses) {
        Set<String> out = new LinkedHashSet<>();
        for (String address : addresses) {
            String a = Objects.requireNonNull(address, "recipient").strip().toLowerCase(Locale.ROOT);
            if (!EMAIL.matcher(a).matches()) {
                throw new IllegalArgumentException("not an email address: " + address);
            }
            out.add(a);
        }
        return List.copyOf(out);
    }

    /** Fills a {@link Notification}; {@link #build()} checks it. */
    public static final class Builder {
        private final NotificationType type;
        private final String eventKey;
        private String subject;
        private String text = "";
        private URI link;
        private final List<String> recipients = new ArrayList<>();
        private String webhookText;

        private Builder(NotificationType type, String eventKey) {
            this.type = type;
            this.eventKey = eventKey;
        }

        public Builder subject(String subject) {
            this.subject = subject;
            return this;
        }

        public Builder text(String text) {
            this.text = text;
            return this;
        }

        public Builder link(URI link) {
            this.link = link;
            return this;
        }

        public Builder to(Collection<String> emails) {
            recipients.addAll(emails);
            return this;
        }

        public Builder to(String... emails) {
            return to(List.of(emails));
        }

        public Builder webhookText(String webhookText) {
            this.webhookText = webhookText;
            return this;
        }

        public Notification build() {
            return new Notification(eventKey, type, subject, text, link, recipients, webhookText);
        }
    }
}
