package dev.latch.web;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * A one-time message carried across a POST-redirect-GET in a short-lived cookie, shown by the
 * layout on the next page and then cleared. It holds plain text only (templates escape it), so a
 * forged cookie can at most show its owner a message.
 */
@RequestScoped
@Named("flash")
public class Flash {

    private static final String COOKIE = "latch-flash";
    private static final int MAX_LENGTH = 300;

    /** How a message looks. */
    public enum Kind { SUCCESS, INFO, WARNING, ERROR }

    private final HttpServerRequest request;
    private final HttpServerResponse response;
    private final PortalConfig portal;
    private Message incoming;
    private boolean read;

    /** A message to show. */
    public record Message(Kind kind, String text) {
        public String cssClass() {
            return "flash flash-" + kind.name().toLowerCase();
        }
    }

    public Flash(HttpServerRequest request, HttpServerResponse response, PortalConfig portal) {
        this.request = request;
        this.response = response;
        this.portal = portal;
    }

    /** Queues a message for the next page this browser shows. */
    public void set(Kind kind, String text) {
        String value = kind.name() + ":" + truncate(text);
        response.addCookie(cookie(URLEncoder.encode(value, StandardCharsets.UTF_8)).setMaxAge(60));
    }

    public void success(String text) {
        set(Kind.SUCCESS, text);
    }

    public void error(String text) {
        set(Kind.ERROR, text);
    }

    /** The message for this page, if any; reading it clears the cookie. */
    public Message getMessage() {
        if (!read) {
            read = true;
            Cookie cookie = request.getCookie(COOKIE);
            if (cookie != null) {
                incoming = parse(URLDecoder.decode(cookie.getValue(), StandardCharsets.UTF_8));
                response.addCookie(cookie("").setMaxAge(0));
            }
        }
        return incoming;
    }

    private static Message parse(String value) {
        int colon = value.indexOf(':');
        if (colon < 0) {
            return null;
        }
        try {
            return new Message(Kind.valueOf(value.substring(0, colon)), truncate(value.substring(colon + 1)));
        } catch (IllegalArgumentException unknownKind) {
            return null;
        }
    }

    private Cookie cookie(String value) {
        return Cookie.cookie(COOKIE, value).setPath("/").setHttpOnly(true).setSecure(portal.secure())
                .setSameSite(CookieSameSite.LAX);
    }

    private static String truncate(String text) {
        return text.length() <= MAX_LENGTH ? text : text.substring(0, MAX_LENGTH);
    }
}
