package dev.latch.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.access.AccessRequest;
import dev.latch.access.AccessRequests;
import dev.latch.identity.Group;
import dev.latch.identity.Invitations;
import dev.latch.identity.User;
import dev.latch.inventory.AccessLevel;
import dev.latch.inventory.Cluster;
import dev.latch.inventory.InventoryFixtures;
import dev.latch.notify.OutboxWorker;
import dev.latch.testing.Fixtures;
import dev.latch.testing.HelperProcess;
import dev.latch.testing.KeyHolder;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.MockMailbox;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way a person really arrives, each in a new browser profile with no Latch cookie: a
 * bookmark, the page {@code latch login} opens, a link in an approval email, an invitation or key
 * recovery link, {@code /device} typed by hand, and deep links to a page and an admin page. Where
 * the journey needs a key that is already registered, the person's key (registered through the
 * API with a software key) is plugged into the fresh browser, as a YubiKey is into a new laptop.
 * Each journey ends with something the person posts, so a missing CSRF cookie would show.
 */
@QuarkusTest
@ExtendWith(Browsers.class)
class FreshProfileEntryPointsBrowserTest {

    private static final Pattern CODE = Pattern.compile("enter the code ([BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4})");
    private static final Pattern REQUEST_LINK = Pattern.compile("http://localhost:8081/requests/[0-9a-f-]{36}");

    @Inject
    Invitations invitations;

    @Inject
    AccessRequests requests;

    @Inject
    OutboxWorker outbox;

    @Inject
    MockMailbox mailbox;

    @Inject
    Fixtures fixtures;

    @TempDir
    Path config;

    @TempDir
    Path downloads;

    @Test
    void aBookmarkedSignInPage(Browser browser) {
        KeyHolder person = KeyHolder.enrol(invitations, "bookmark");
        browser.plugIn(person.key().credentials().get(0));

        browser.open("/signin").click("Sign in with security key").waitForPath("/");
        assertTrue(browser.byLabel("Signed in as").getText().contains(person.user().displayName), browser.pageText());
    }

    @Test
    void thePageLatchLoginOpens(Browser browser) throws Exception {
        KeyHolder person = KeyHolder.enrol(invitations, "terminal");
        browser.plugIn(person.key().credentials().get(0));
        Path opened = config.resolve("opened-url");
        Path recorder = config.resolve("record-url");
        Files.writeString(recorder, "#!/bin/sh\nprintf '%s' \"$1\" > '" + opened + "'\n");
        assertTrue(recorder.toFile().setExecutable(true));

        HelperProcess login = HelperProcess.start(config, Map.of("LATCH_BROWSER", recorder.toString()),
                "login", "--portal", Browser.BASE);
        login.awaitStderr("A browser window is open");
        Matcher code = CODE.matcher(login.stderr());
        assertTrue(code.find(), login.stderr());
        String url = Files.readString(opened);
        assertTrue(url.startsWith(Browser.BASE + "/device?user_code="), url);

        browser.open(url);
        signIn(browser, "/device");
        // the link fills the code in; the person still compares and continues (RFC 8628 §5.4)
        assertEquals(code.group(1), browser.byLabel("Code").getAttribute("value"));
        browser.click("Continue");
        assertTrue(browser.byLabel("Code to compare").getText().contains(code.group(1)), browser.pageText());
        browser.click("Approve with security key").waitForText("Device result", "is signed in");
        assertEquals(0, login.waitFor(30), String.join("\n", login.remainingStderr()));
    }

    @Test
    void theDevicePageTypedByHand(Browser browser) throws Exception {
        KeyHolder person = KeyHolder.enrol(invitations, "typist");
        browser.plugIn(person.key().credentials().get(0));
        HelperProcess login = HelperProcess.start(config, Map.of(), "login", "--portal", Browser.BASE, "--no-browser");
        Matcher code = CODE.matcher(login.awaitStderr("enter the code"));
        assertTrue(code.find(), login.stderr());

        browser.open("/device");
        signIn(browser, "/device");
        browser.type("Code", code.group(1).toLowerCase().replace("-", "")).click("Continue");
        assertTrue(browser.byLabel("Code to compare").getText().contains(code.group(1)), browser.pageText());
        browser.click("Approve with security key").waitForText("Device result", "is signed in");
        assertEquals(0, login.waitFor(30), String.join("\n", login.remainingStderr()));
    }

    @Test
    void anApprovalLinkFromTheNotificationEmail(Browser browser) {
        String s = UUID.randomUUID().toString().substring(0, 6);
        Group team = InventoryFixtures.group("mail-" + s);
        AccessLevel admin = InventoryFixtures.level(InventoryFixtures.cluster("production", "prod-mail-" + s), "admin");
        InventoryFixtures.entitle(team, admin, "requestable");
        KeyHolder approver = KeyHolder.enrol(invitations, "approver");
        KeyHolder engineer = KeyHolder.enrol(invitations, "engineer");
        InventoryFixtures.join(engineer.user(), team);
        QuarkusTransaction.requiringNew().run(() -> User.<User>findById(engineer.user().id).managerId = approver.user().id);
        AccessRequest filed = QuarkusTransaction.requiringNew().call(() -> requests.create(User.findById(engineer.user().id),
                new AccessRequests.Ask(admin.id, Duration.ofHours(1), "INC-77 queue stuck", null, null, null)));

        String link = linkInMailTo(approver.user().email);
        assertEquals(Browser.BASE + "/requests/" + filed.id, link);
        browser.plugIn(approver.key().credentials().get(0));
        browser.open(link);
        signIn(browser, "/requests/" + filed.id);
        browser.type("Comment", "ok from the email").click("Approve with security key");
        browser.waitForText("Request status", "approved");
    }

    @Test
    void anInvitationLink(Browser browser) {
        browser.addSecurityKey();
        String username = Fixtures.username("invitee");
        String url = invitations.invite(new Invitations.Request(username, username + "@example.com", "Invitee " + username, false), null).url();

        browser.open(url).type("Key name", "Desk key").click("Register security key");
        browser.waitForPath("/profile").waitForText("Welcome", "Your key is registered");
        browser.click("Sign out").waitForPath("/signin");
    }

    @Test
    void aKeyRecoveryLink(Browser browser) {
        KeyHolder person = KeyHolder.enrol(invitations, "lostkey");
        String url = invitations.inviteExisting(person.user(), fixtures.user("helpdesk", true)).url();

        // the old key is lost: the fresh browser has only a new, empty one
        browser.addSecurityKey();
        browser.open(url).type("Key name", "Replacement key").click("Register security key");
        browser.waitForPath("/profile");
        assertTrue(browser.byLabel("Key Replacement key").isDisplayed());
        browser.click("Sign out").waitForPath("/signin");
        browser.click("Sign in with security key").waitForPath("/");
        assertTrue(browser.byLabel("Signed in as").getText().contains(person.user().displayName), browser.pageText());
    }

    @Test
    void aDeepLinkToMyKubeconfigs(Browser browser) throws Exception {
        String s = UUID.randomUUID().toString().substring(0, 6);
        Group team = InventoryFixtures.group("deep-" + s);
        Cluster staging = InventoryFixtures.cluster("staging", "staging-deep-" + s);
        InventoryFixtures.entitle(team, InventoryFixtures.level(staging, "view"), "standing");
        KeyHolder person = KeyHolder.enrol(invitations, "deeplink");
        InventoryFixtures.join(person.user(), team);
        browser.plugIn(person.key().credentials().get(0));
        browser.downloadsTo(downloads);

        browser.open("/kube");
        signIn(browser, "/kube");
        browser.click("Download kubeconfig for all my clusters");
        assertTrue(Files.readString(browser.awaitDownload(downloads, "kubeconfig")).contains("staging-deep-" + s));
    }

    @Test
    void aDeepLinkToAnAdminPage(Browser browser) {
        KeyHolder person = KeyHolder.enrol(invitations, "admin");
        QuarkusTransaction.requiringNew().run(() -> User.<User>findById(person.user().id).admin = true);
        browser.plugIn(person.key().credentials().get(0));
        String invitee = Fixtures.username("newhire");

        browser.open("/admin/users");
        signIn(browser, "/admin/users");
        browser.type("Username", invitee).click("Create invitation link");
        browser.waitForText("Enrolment link", Browser.BASE + "/enrol/");
        assertTrue(browser.pageText().contains("Invitation for " + invitee), browser.pageText());
    }

    /** The sign-in page a redirect led to, the key touch, and the page the person first asked for. */
    private static void signIn(Browser browser, String backTo) {
        browser.waitForPath("/signin");
        assertTrue(browser.currentUrl().contains("next="), browser.currentUrl());
        browser.click("Sign in with security key").waitForPath(backTo);
    }

    /** The request link in the notification email to this address, once the outbox has sent it. */
    private String linkInMailTo(String address) {
        Instant deadline = Instant.now().plusSeconds(20);
        while (Instant.now().isBefore(deadline)) {
            outbox.deliverDue();
            List<Mail> mails = mailbox.getMailsSentTo(address);
            if (!mails.isEmpty()) {
                Matcher link = REQUEST_LINK.matcher(mails.get(0).getText());
                assertTrue(link.find(), mails.get(0).getText());
                return link.group();
            }
            sleepBriefly();
        }
        throw new AssertionError("no notification email reached " + address);
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the email", e);
        }
    }
}
