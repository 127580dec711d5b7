package dev.latch.testing;

import dev.latch.identity.Sessions;
import dev.latch.identity.User;
import dev.latch.oauth.DeviceAuthorization;
import dev.latch.oauth.TokenIssuer;
import dev.latch.support.Secrets;
import dev.latch.webauthn.WebAuthnCredential;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test set-up that skips the WebAuthn ceremonies where a test is about something else: people,
 * stored keys and signed-in sessions, made through the same services and tables the portal uses.
 */
@ApplicationScoped
public class Fixtures {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final Sessions sessions;
    private final TokenIssuer tokens;

    public Fixtures(Sessions sessions, TokenIssuer tokens) {
        this.sessions = sessions;
        this.tokens = tokens;
    }

    /** A unique, valid username with the given prefix. */
    public static String username(String prefix) {
        return prefix + "-" + SEQUENCE.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 6);
    }

    public User user(String prefix, boolean admin) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Instant now = Instant.now();
            User user = new User();
            user.id = UUID.randomUUID();
            user.username = username(prefix);
            user.displayName = "Test " + user.username;
            user.email = user.username + "@example.com";
            user.userHandle = Secrets.randomBytes(64);
            user.admin = admin;
            user.createdAt = now;
            user.updatedAt = now;
            user.persist();
            return user;
        });
    }

    /** Gives a user a stored key record (not usable for ceremonies: the public key is random). */
    public WebAuthnCredential storedKey(User user, String nickname) {
        return QuarkusTransaction.requiringNew().call(() -> {
            WebAuthnCredential key = new WebAuthnCredential();
            key.id = UUID.randomUUID();
            key.userId = user.id;
            key.credentialId = Secrets.randomBytes(32);
            key.publicKeyCose = Secrets.randomBytes(77);
            key.nickname = nickname;
            key.transports = List.of("usb");
            key.createdAt = Instant.now();
            key.persist();
            return key;
        });
    }

    /** A helper login of the user, as an approved device flow leaves it (skipping the browser part). */
    public HelperLogin helperLogin(User user) {
        DpopKey key = new DpopKey();
        DeviceAuthorization approved = new DeviceAuthorization();
        approved.clientId = "latch-cli";
        approved.clientName = "latch (test)";
        approved.hostName = "test-laptop";
        approved.os = "Linux";
        TokenIssuer.Tokens issued = QuarkusTransaction.requiringNew().call(() -> tokens.startFamily(User.findById(user.id), approved,
                key.thumbprint()));
        return new HelperLogin(issued.accessToken(), issued.refreshToken(), key);
    }

    /** A signed-in session for the user; returns the cookie value. */
    public String session(User user) {
        return sessions.start(user, null, "127.0.0.1", "JUnit", Optional.empty()).token();
    }
}
