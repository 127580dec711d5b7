package dev.latch.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;

/** The portal's OAuth and API endpoints, on the JDK's HTTP client. */
final class PortalClient {

    static final String CLIENT_ID = "latch-cli";

    private final String portal;
    private final Clock clock;
    private HttpClient http;

    PortalClient(String portal, Clock clock) {
        this.portal = Latch.trimSlashes(portal);
        this.clock = clock;
    }

    /** Made on first use: a credential served from the cache never pays for an HTTP client. */
    private HttpClient http() {
        if (http == null) {
            http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
        }
        return http;
    }

    String portal() {
        return portal;
    }

    /**
     * An answer: HTTP status, parsed JSON body (empty map when none), the Date header, and the body
     * as sent (credential payloads are printed verbatim, not re-serialised).
     */
    record Answer(int status, Map<String, Object> body, String date, String text) {
        String string(String key) {
            Object value = body.get(key);
            return value == null ? null : value.toString();
        }

        long number(String key, long fallback) {
            return body.get(key) instanceof Number n ? n.longValue() : fallback;
        }
    }

    Answer deviceAuthorization(String clientName, String hostName, String os) {
        return postForm("/oauth/device_authorization", Map.of("client_id", CLIENT_ID, "client_name", clientName,
                "host_name", hostName, "os", os), null);
    }

    Answer pollDeviceCode(String deviceCode, DpopSigner dpop) {
        return postForm("/oauth/token", Map.of("grant_type", "urn:ietf:params:oauth:grant-type:device_code",
                "client_id", CLIENT_ID, "device_code", deviceCode), dpop);
    }

    Answer refresh(String refreshToken, DpopSigner dpop) {
        return postForm("/oauth/token", Map.of("grant_type", "refresh_token", "client_id", CLIENT_ID,
                "refresh_token", refreshToken), dpop);
    }

    Answer revoke(String token) {
        return postForm("/oauth/revoke", Map.of("token", token, "client_id", CLIENT_ID), null);
    }

    Answer discovery() {
        return send(HttpRequest.newBuilder(URI.create(portal + "/.well-known/openid-configuration")).GET());
    }

    /** A DPoP-authenticated API call without a body. */
    Answer api(String method, String path, String accessToken, DpopSigner dpop) {
        return api(method, path, null, accessToken, dpop);
    }

    /** A DPoP-authenticated API call; a non-null {@code jsonBody} is sent as application/json. */
    Answer api(String method, String path, String jsonBody, String accessToken, DpopSigner dpop) {
        String url = portal + path;
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "DPoP " + accessToken)
                .header("DPoP", dpop.proof(method, stripQuery(url), accessToken, clock.instant()))
                .header("Accept", "application/json");
        if (jsonBody == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8));
        }
        return send(request);
    }

    private Answer postForm(String path, Map<String, String> form, DpopSigner dpop) {
        StringJoiner body = new StringJoiner("&");
        form.forEach((k, v) -> {
            if (v != null) {
                body.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8));
            }
        });
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(portal + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (dpop != null) {
            request.header("DPoP", dpop.proof("POST", portal + path, null, clock.instant()));
        }
        return send(request);
    }

    private Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http().send(request.timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            String text = response.body();
            Map<String, Object> body;
            try {
                body = text == null || text.isBlank() ? Map.of() : Json.parseObject(text);
            } catch (IllegalArgumentException notJson) {
                body = Map.of("detail", "The portal answered " + response.statusCode() + " with something that is not JSON.");
            }
            return new Answer(response.statusCode(), body, response.headers().firstValue("Date").orElse(null), text);
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw new CliException("Cannot reach the portal at " + portal + ". Check the address and your network (VPN?).", 3);
        } catch (IOException e) {
            throw new CliException("Talking to the portal at " + portal + " failed: " + e.getMessage(), 3);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("Interrupted.", 130);
        }
    }

    private static String stripQuery(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }
}
