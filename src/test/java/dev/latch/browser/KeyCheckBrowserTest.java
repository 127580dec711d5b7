package dev.latch.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;

/** The smoke test of the browser rig: a real Chromium creates a credential with a virtual key on a portal page. */
@QuarkusTest
@ExtendWith(Browsers.class)
class KeyCheckBrowserTest {

    @Test
    void theKeyCheckPageCreatesACredentialWithTheVirtualKey(Browser browser) {
        VirtualAuthenticator key = browser.addSecurityKey();
        browser.open("/security-key/check").click("Check my security key")
                .waitForText("Check result", "Your security key works with Latch.");
        assertTrue(browser.byLabel("Check result").getText().contains("Touch detected\nyes"), browser.pageText());
        assertEquals(1, key.getCredentials().size());
        assertEquals(0L, browser.script("return document.querySelectorAll('script:not([src])').length;"));
    }

    @Test
    void theColourThemeCanBeSwitchedAndIsRemembered(Browser browser) {
        browser.open("/");
        Object before = browser.script("return document.documentElement.dataset.theme || 'system';");
        browser.click("Switch between light and dark theme");
        Object after = browser.script("return document.documentElement.dataset.theme;");
        assertTrue("light".equals(after) || "dark".equals(after), String.valueOf(after));
        assertTrue(!after.equals(before), before + " -> " + after);
        browser.open("/");
        assertEquals(after, browser.script("return document.documentElement.dataset.theme;"));
    }
}
