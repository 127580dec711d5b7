package dev.latch.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.identity.Invitations;
import dev.latch.identity.Sessions;
import dev.latch.identity.User;
import dev.latch.testing.Fixtures;
import dev.latch.testing.TestClock;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;

/** "Browser login with a security key" as a person does it, in a real Chromium with virtual keys. */
@QuarkusTest
@ExtendWith(Browsers.class)
class IdentityJourneyBrowserTest {

    @Inject
    Invitations invitations;

    @Inject
    Sessions sessions;

    @AfterEach
    void resetClock() {
        TestClock.reset();
    }

    @Test
    void invitationThenKeyRegistrationThenSignedIn(Browser browser) {
        VirtualAuthenticator key = browser.addSecurityKey();
        String username = enrol(browser, "Blue YubiKey");
        browser.waitForPath("/profile").waitForText("Welcome", "Your key is registered");
        assertTrue(browser.pageText().contains(username), browser.pageText());
        assertTrue(browser.byLabel("Key Blue YubiKey").isDisplayed());
        assertTrue(browser.byLabel("Backup key advice").isDisplayed(), "a single key gets the backup nudge");
        assertEquals(1, key.getCredentials().size());
        assertTrue(key.getCredentials().get(0).isResidentCredential(), "the key holds a discoverable credential");
    }

    @Test
    void signOutThenSignInWithoutTypingAUsername(Browser browser) {
        browser.addSecurityKey();
        String username = enrol(browser, "Desk key");
        browser.waitForPath("/profile");
        browser.click("Sign out").waitForPath("/signin");
        browser.open("/profile").waitForPath("/signin");
        browser.click("Sign in with security key").waitForPath("/profile");
        assertTrue(browser.byLabel("Signed in as").getText().contains("Test " + username) || browser.pageText().contains(username));
    }

    @Test
    void usernameFirstSignInWorksToo(Browser browser) {
        browser.addSecurityKey();
        String username = enrol(browser, "Desk key");
        browser.waitForPath("/profile");
        browser.click("Sign out").waitForPath("/signin");
        browser.driver().findElement(By.cssSelector("details.fallback summary")).click();
        browser.type("Username", username).click("Continue with username").waitForPath("/");
        assertTrue(browser.pageText().contains("My access"), browser.pageText());
    }

    @Test
    void addingASecondKeyAndRemovingOneAfterAStepUpTouch(Browser browser) {
        VirtualAuthenticator first = browser.addSecurityKey();
        enrol(browser, "First key");
        browser.waitForPath("/profile");

        // unplug the first key and plug in a new one, as a person would, then plug the first back in
        var firstCredential = first.getCredentials().get(0);
        browser.removeSecurityKey(first);
        VirtualAuthenticator second = browser.addSecurityKey();
        browser.type("New key name", "Backup key").click("Add a security key")
                .waitForText("Add key status", "The new key is registered.");
        browser.byLabel("Key Backup key");
        assertEquals(1, second.getCredentials().size());
        browser.addSecurityKey().addCredential(firstCredential);

        // five minutes later the session's last touch is stale: removing a key asks for one in place
        TestClock.advance(Duration.ofMinutes(6));
        browser.open("/profile");
        browser.click("Remove Backup key").acceptConfirm();
        new org.openqa.selenium.support.ui.WebDriverWait(browser.driver(), Duration.ofSeconds(10))
                .until(d -> browser.all(By.cssSelector("[aria-label='Key Backup key']")).isEmpty());
        assertTrue(browser.byLabel("Key First key").isDisplayed());
    }

    @Test
    void aSessionRevokedElsewhereSendsTheNextClickToSignIn(Browser browser) {
        browser.addSecurityKey();
        String username = enrol(browser, "Key");
        browser.waitForPath("/profile");
        User user = QuarkusTransaction.requiringNew().call(() -> User.findByUsername(username).orElseThrow());
        sessions.revokeAll(user.id, "revoked by an administrator");
        browser.byLabel("Latch home").click();
        browser.waitForPath("/");
        browser.open("/profile").waitForPath("/signin");
        assertTrue(browser.currentUrl().contains("next=%2Fprofile"), browser.currentUrl());
    }

    /** Opens a fresh invitation link and registers the browser's key; returns the username. */
    private String enrol(Browser browser, String keyName) {
        String username = Fixtures.username("person");
        String url = invitations.invite(new Invitations.Request(username, username + "@example.com", "Test " + username, false),
                null).url();
        browser.open(url).type("Key name", keyName).click("Register security key");
        return username;
    }
}
