package dev.latch.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.access.AccessGrant;
import dev.latch.broker.RoleSessions;
import dev.latch.identity.Group;
import dev.latch.identity.Invitations;
import dev.latch.identity.User;
import dev.latch.inventory.AccessLevel;
import dev.latch.inventory.Cluster;
import dev.latch.inventory.InventoryFixtures;
import dev.latch.oauth.DeviceFlow;
import dev.latch.testing.Fixtures;
import dev.latch.testing.KubeApiStandIn;
import dev.latch.testing.Laptop;
import dev.latch.testing.ShortCredentialLifetime;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.support.ui.Select;

/**
 * Production access just in time, in two browsers with two security keys: the engineer requests
 * prod admin for 1 h, the manager approves with a touch, the engineer downloads a prod kubeconfig
 * and the real kubectl works through the helper; the manager revokes the grant and the same
 * kubectl command fails with the helper's message.
 */
@QuarkusTest
@TestProfile(ShortCredentialLifetime.class)
@ExtendWith(Browsers.class)
class JitAccessBrowserTest {

    @Inject
    Invitations invitations;

    @Inject
    DeviceFlow deviceFlow;

    @Inject
    RoleSessions roleSessions;

    @TempDir
    Path home;

    @TempDir
    Path downloads;

    @Test
    void requestApproveUseRevoke(Browser engineer, Browser manager) throws Exception {
        String s = UUID.randomUUID().toString().substring(0, 6);
        Group team = InventoryFixtures.group("jit-" + s);
        Cluster prod = InventoryFixtures.cluster("production", "prod-main-" + s);
        AccessLevel admin = InventoryFixtures.level(prod, "admin");
        InventoryFixtures.entitle(team, admin, "requestable");

        manager.addSecurityKey();
        String bossName = Fixtures.username("boss");
        manager.open(invitations.invite(new Invitations.Request(bossName, bossName + "@example.com", "Boss " + s, false), null).url())
                .type("Key name", "Key").click("Register security key").waitForPath("/profile");
        engineer.addSecurityKey();
        engineer.downloadsTo(downloads);
        String engName = Fixtures.username("eng");
        engineer.open(invitations.invite(new Invitations.Request(engName, engName + "@example.com", "Eng " + s, false), null).url())
                .type("Key name", "Key").click("Register security key").waitForPath("/profile");
        User boss = QuarkusTransaction.requiringNew().call(() -> User.findByUsername(bossName).orElseThrow());
        User eng = QuarkusTransaction.requiringNew().call(() -> User.findByUsername(engName).orElseThrow());
        InventoryFixtures.join(eng, team);
        QuarkusTransaction.requiringNew().run(() -> User.<User>findById(eng.id).managerId = boss.id);

        // the API server trusts tokens signed with the credentials moto issued for the engineer's role session
        try (KubeApiStandIn apiServer = KubeApiStandIn.start(prod.name, key -> roleSessions.cached(engName, admin.roleArn)
                .map(RoleSessions.Session::credentials).filter(c -> c.accessKeyId().equals(key)).map(c -> c.secretAccessKey()),
                Clock.systemUTC(), List.of("default", "payments"))) {
            QuarkusTransaction.requiringNew().run(() -> {
                Cluster managed = Cluster.findById(prod.id);
                managed.endpoint = apiServer.url();
                managed.caBundle = apiServer.caBundleBase64();
            });

            // 1. the engineer requests prod admin for 1 h
            engineer.open("/").click("Request access to prod-main-" + s + " admin").waitForPath("/requests/new");
            new Select(engineer.byLabel("Duration")).selectByVisibleText("1h");
            engineer.type("Reason", "INC-1234 payments pods crash-looping").click("Send request");
            engineer.waitForText("Request status", "pending");

            // 2. the manager sees it in the inbox and approves with a key touch
            manager.open("/requests").waitForText("Requests waiting for my decision", "INC-1234");
            manager.click("Decide request of Eng " + s + " (" + engName + ") for acct-prod-main-" + s + " ("
                    + prod.account.accountId + ") / cluster prod-main-" + s + " / admin");
            manager.type("Comment", "go ahead").click("Approve with security key");
            manager.waitForText("Request status", "approved");
            manager.click("Verify decision of Boss " + s + " (" + bossName + ")").waitForText("Verification result", "Verified");

            // 3. the engineer downloads the prod kubeconfig from the grant and kubectl works through the helper
            engineer.open("/").click("Download kubeconfig for grant acct-prod-main-" + s + " (" + prod.account.accountId
                    + ") / cluster prod-main-" + s + " / admin");
            Path kubeconfig = engineer.awaitDownload(downloads, "prod-main-" + s);
            Laptop laptop = new Laptop(home);
            laptop.signIn(deviceFlow, eng);
            // production from the terminal needs a key touch made after the grant started: kubectl fails
            // at once with the page to confirm it on (no browser is opened here, and none is claimed)
            Laptop.Run asks = laptop.kubectl("--kubeconfig", kubeconfig.toString(), "get", "namespaces");
            assertNotEquals(0, asks.exit());
            assertTrue(asks.stderr().contains("http://localhost:8081/terminal/touch"), asks.stderr());
            assertFalse(asks.stderr().contains("in your browser"), asks.stderr());
            engineer.open("/terminal/touch").click("Confirm with security key").waitForText("Touch result", "may use production now");
            Laptop.Run works = laptop.kubectl("--kubeconfig", kubeconfig.toString(), "get", "namespaces");
            assertEquals(0, works.exit(), works.stderr());
            assertTrue(works.stdout().contains("payments"), works.stdout());

            // 4. the manager revokes the grant; the same kubectl command now fails with the helper's line
            AccessGrant grant = QuarkusTransaction.requiringNew().call(() -> AccessGrant.<AccessGrant>find("user.id", eng.id).firstResult());
            manager.open("/requests/" + grant.requestId).type("Revocation reason", "incident over").click("Revoke grant");
            manager.waitForText("Message", "Grant revoked.");
            Laptop.Run refused = laptop.kubectl("--kubeconfig", kubeconfig.toString(), "get", "namespaces");
            assertNotEquals(0, refused.exit());
            assertTrue(refused.stderr().contains("no longer works") && refused.stderr().contains("Request it again"), refused.stderr());
        }
    }
}
