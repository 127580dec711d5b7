package dev.latch.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.identity.Group;
import dev.latch.identity.Invitations;
import dev.latch.identity.User;
import dev.latch.inventory.Cluster;
import dev.latch.inventory.InventoryFixtures;
import dev.latch.testing.Fixtures;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

/**
 * Two people, two browsers: a developer sees dev and staging but not production; an administrator
 * gives their group production in the UI, and the developer's dashboard shows it after a refresh.
 */
@QuarkusTest
@ExtendWith(Browsers.class)
class MyAccessBrowserTest {

    @Inject
    Invitations invitations;

    @Test
    void aDeveloperSeesTheirClustersAndAnAdminGrantsMore(Browser developer, Browser admin) {
        String s = UUID.randomUUID().toString().substring(0, 6);
        Group team = InventoryFixtures.group("dev-team-" + s);
        Cluster dev = InventoryFixtures.cluster("dev" + s, "dev-main-" + s);
        Cluster staging = InventoryFixtures.cluster("stg" + s, "staging-main-" + s);
        Cluster prod = InventoryFixtures.cluster("prd" + s, "prod-main-" + s);
        InventoryFixtures.entitle(team, InventoryFixtures.level(dev, "edit"), "standing");
        InventoryFixtures.entitle(team, InventoryFixtures.level(staging, "view"), "standing");
        InventoryFixtures.level(prod, "view");

        developer.addSecurityKey();
        String username = Fixtures.username("dev");
        developer.open(invitations.invite(new Invitations.Request(username, null, "Dev " + s, false), null).url())
                .type("Key name", "Key").click("Register security key").waitForPath("/profile");
        User user = QuarkusTransaction.requiringNew().call(() -> User.findByUsername(username).orElseThrow());
        InventoryFixtures.join(user, team);

        developer.open("/").waitForText("Environment dev" + s, "dev-main-" + s);
        assertTrue(developer.pageText().contains("staging-main-" + s));
        assertFalse(developer.pageText().contains("prod-main-" + s));

        admin.addSecurityKey();
        admin.open(invitations.invite(new Invitations.Request(Fixtures.username("boss"), null, "Boss", true), null).url())
                .type("Key name", "Key").click("Register security key").waitForPath("/profile");
        admin.open("/admin/access");
        new Select(admin.byLabel("Entitled group")).selectByVisibleText(team.name);
        new Select(admin.byLabel("Access level")).selectByVisibleText("prd" + s + " / cluster prod-main-" + s + " / view");
        new Select(admin.byLabel("Mode")).selectByVisibleText("standing");
        admin.click("Add entitlement").waitForText("Message", "Entitlement added.");
        assertTrue(admin.byLabel("Entitlement " + team.name + " prd" + s + " / cluster prod-main-" + s + " view").isDisplayed());

        developer.open("/").waitForText("Environment prd" + s, "prod-main-" + s);
        assertTrue(developer.all(By.cssSelector("[aria-label='prod-main-" + s + " view standing']")).size() == 1);
    }

    /** Browsers open at 1280 px wide (see {@link Browser#start}): the search box must show its whole hint there. */
    @Test
    void theSearchBoxShowsItsWholePlaceholderAt1280Pixels(Browser developer) throws Exception {
        String s = UUID.randomUUID().toString().substring(0, 6);
        Group team = InventoryFixtures.group("wide-" + s);
        InventoryFixtures.entitle(team, InventoryFixtures.level(InventoryFixtures.cluster("dev" + s, "dev-main-" + s), "edit"), "standing");
        developer.addSecurityKey();
        String username = Fixtures.username("wide");
        developer.open(invitations.invite(new Invitations.Request(username, null, "Wide " + s, false), null).url())
                .type("Key name", "Key").click("Register security key").waitForPath("/profile");
        InventoryFixtures.join(QuarkusTransaction.requiringNew().call(() -> User.findByUsername(username).orElseThrow()), team);

        developer.open("/").waitForText("Environment dev" + s, "dev-main-" + s);
        assertEquals(1280L, developer.script("return window.outerWidth;"));
        developer.capture(java.nio.file.Path.of("target", "screenshots"), "my-access-1280");
        @SuppressWarnings("unchecked")
        java.util.List<Number> widths = (java.util.List<Number>) developer.script("""
                var input = arguments[0], style = getComputedStyle(input);
                var context = document.createElement('canvas').getContext('2d');
                context.font = style.font;
                return [context.measureText(input.placeholder).width,
                        input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)];""",
                developer.byLabel("Search my access"));
        assertTrue(widths.get(0).doubleValue() <= widths.get(1).doubleValue(),
                "placeholder needs " + widths.get(0) + " px, the box has " + widths.get(1) + " px");
    }
}
