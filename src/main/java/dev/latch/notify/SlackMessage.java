package dev.latch.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The webhook message, in the shape of Slack's incoming webhooks: a {@code text} fallback (used
 * for the notification itself and by clients that cannot show blocks) and one section block in
 * mrkdwn with a link to the portal. Tools that take Slack-style webhooks without Block Kit show
 * {@code text}, which carries the subject and the link too.
 *
 * <p>Slack reads {@code &}, {@code <} and {@code >} as control characters (links and mentions
 * such as {@code <!channel>}), so every piece of text is escaped first: a reason typed into a
 * request cannot ping a channel or disguise a link.
 */
final class SlackMessage {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SlackMessage() {
    }

    /** The JSON message for this notification. */
    static String of(Notification n) {
        String link = n.link().toASCIIString();
        ObjectNode message = JSON.createObjectNode();
        message.put("text", escape(n.subject()) + ": " + link);
        ObjectNode section = JSON.createObjectNode();
        section.put("type", "section");
        ObjectNode text = section.putObject("text");
        text.put("type", "mrkdwn");
        String body = n.webhookText().isBlank() ? "" : "\n" + escape(n.webhookText().strip());
        text.put("text", "*" + escape(n.subject()) + "*" + body + "\n<" + link + "|Open in Latch>");
        ArrayNode blocks = message.putArray("blocks");
        blocks.add(section);
        return message.toString();
    }

    /** Slack's escaping for message text (api.slack.com, "Formatting text for app surfaces"). */
    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
