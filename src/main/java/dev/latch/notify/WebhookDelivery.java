package dev.latch.notify;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Posts an outbox row's JSON to the configured incoming webhook with the JDK {@link HttpClient}.
 * Any 2xx answer is a delivery. Redirects are not followed. The URL's path is a secret (in Slack
 * it is the credential), so errors name the host only.
 */
@ApplicationScoped
class WebhookDelivery {

    private static final int MAX_ERROR_BODY = 100;

    private final NotifyConfig config;
    private final HttpClient http;

    WebhookDelivery(NotifyConfig config) {
        this.config = config;
        this.http = HttpClient.newBuilder()
                .connectTimeout(config.webhook().timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** The webhook's host, the only part of its URL fit for logs. */
    Optional<String> host() {
        return config.webhook().url().map(URI::getHost);
    }

    void send(OutboxMessage message) throws DeliveryFailure {
        URI url = config.webhook().url().orElseThrow(
                () -> DeliveryFailure.permanent("no webhook is configured (latch.notify.webhook.url)"));
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(url)
                    .timeout(config.webhook().timeout())
                    .header("Content-Type", "application/json; charset=utf-8")
                    // the same on every attempt: receivers that honour it can drop a resend
                    .header("Idempotency-Key", message.id().toString())
                    .POST(HttpRequest.BodyPublishers.ofString(message.payload(), StandardCharsets.UTF_8))
                    .build();
        } catch (IllegalArgumentException e) {
            // e.g. a scheme other than http(s): retrying will not help
            throw DeliveryFailure.permanent("webhook " + url.getHost() + ": unusable URL ("
                    + scrub(String.valueOf(e.getMessage()), url) + ")");
        }
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw DeliveryFailure.retry("webhook " + url.getHost() + ": timed out");
        } catch (IOException e) {
            String detail = e.getMessage() == null ? "" : ": " + scrub(e.getMessage(), url);
            throw DeliveryFailure.retry("webhook " + url.getHost() + ": " + e.getClass().getSimpleName() + detail);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DeliveryFailure.retry("webhook " + url.getHost() + ": interrupted");
        }
        String answer = readShort(response.body());
        int status = response.statusCode();
        if (status / 100 != 2) {
            // Slack answers with a short token such as invalid_payload or no_service
            String token = answer.matches("[A-Za-z0-9_ .-]{1,100}") ? " " + answer : "";
            throw DeliveryFailure.retry("webhook " + url.getHost() + ": HTTP " + status + token);
        }
    }

    /** JDK messages do not carry the URL today; make sure its path never reaches a log or a row. */
    static String scrub(String text, URI url) {
        String out = text.replace(url.toString(), url.getHost());
        String path = url.getRawPath();
        return path == null || path.length() <= 1 ? out : out.replace(path, "/…");
    }

    private static String readShort(InputStream body) {
        try (body) {
            return new String(body.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "";
        }
    }
}
