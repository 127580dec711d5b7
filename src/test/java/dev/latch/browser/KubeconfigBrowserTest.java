package dev.latch.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.identity.Group;
import dev.latch.identity.Invitations;
import dev.latch.identity.User;
import dev.latch.inventory.Cluster;
import dev.latch.inventory.InventoryFixtures;
import dev.latch.kube.Issuance;
import dev.latch.testing.Fixtures;
import dev.latch.testing.TestClock;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Download kubeconfig for staging" in a real browser: the file lands in Downloads and names its
 * issuance; production asks for a key touch first and comes back to the download; My kubeconfigs
 * lists both and revokes one.
 */
@QuarkusTest
@ExtendWith(Browsers.class)
class KubeconfigBrowserTest {

    @Inject
    Invitations invitations;

    @TempDir
    Path downloads;

    @AfterEach
    void resetClock() {
        TestClock.reset();
    }

    @Test
    void downloadStagingThenProductionWithATouchThenRevoke(Browser engineer) throws Exception {
        String s = UUID.randomUUID().toString().substring(0, 6);
        Group team = InventoryFixtures.group("kube-browser-" + s);
        Cluster staging = InventoryFixtures.cluster("staging", "staging-main-" + s);
        Cluster prod = InventoryFixtures.cluster("production", "prod-main-" + s);
        InventoryFixtures.entitle(team, InventoryFixtures.level(staging, "edit"), "standing");
        InventoryFixtures.entitle(team, InventoryFixtures.level(prod, "view"), "standing");

        engineer.addSecurityKey();
        engineer.downloadsTo(downloads);
        String username = Fixtures.username("eng");
        engineer.open(invitations.invite(new Invitations.Request(username, null, "Engineer " + s, false), null).url())
                .type("Key name", "Key").click("Register security key").waitForPath("/profile");
        User user = QuarkusTransaction.requiringNew().call(() -> User.findByUsername(username).orElseThrow());
        InventoryFixtures.join(user, team);

        engineer.open("/").click("Download kubeconfig for staging-main-" + s + " edit");
        Path file = engineer.awaitDownload(downloads, "staging-main-" + s);
        String yaml = Files.readString(file);
        Issuance staged = QuarkusTransaction.requiringNew().call(() -> Issuance.<Issuance>find("user.id", user.id).firstResult());
        assertTrue(yaml.contains("--issuance") && yaml.contains(staged.id.toString()), yaml);

        // later in the day: the sign-in's touch is no longer fresh, so production asks for one
        TestClock.advance(Duration.ofMinutes(6));
        engineer.open("/").click("Download kubeconfig for prod-main-" + s + " view").waitForPath("/step-up");
        engineer.click("Touch security key to confirm").waitForPath("/kube/new");
        engineer.click("Download kubeconfig for prod-main-" + s + " (view)");
        assertTrue(Files.readString(engineer.awaitDownload(downloads, "prod-main-" + s)).contains("prod-main-" + s));

        engineer.open("/kube").waitForText("My live kubeconfigs", "prod-main-" + s);
        engineer.click("Revoke kubeconfig staging-main-" + s + " edit").acceptConfirm();
        engineer.waitForText("My live kubeconfigs", "prod-main-" + s);
        new org.openqa.selenium.support.ui.WebDriverWait(engineer.driver(), Duration.ofSeconds(10))
                .until(d -> !engineer.pageText().contains("staging-main-" + s));
        List<Issuance> issued = QuarkusTransaction.requiringNew().call(() -> Issuance.<Issuance>list("user.id", user.id));
        assertEquals(2, issued.size());
        assertEquals(1, issued.stream().filter(i -> i.revokedAt != null).count());
    }
}
