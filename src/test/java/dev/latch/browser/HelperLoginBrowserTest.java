package dev.latch.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.identity.Invitations;
import dev.latch.testing.Fixtures;
import dev.latch.testing.HelperProcess;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * "latch login" end to end: the real helper as a subprocess, the approval in a real browser with a
 * key touch, then "latch status", "latch doctor" and "latch logout" against the running portal.
 */
@QuarkusTest
@ExtendWith(Browsers.class)
class HelperLoginBrowserTest {

    private static final Pattern CODE = Pattern.compile("enter the code ([BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4})");

    @Inject
    Invitations invitations;

    @TempDir
    Path config;

    @TempDir
    Path bin;

    @Test
    void loginApprovedInTheBrowserThenStatusDoctorAndLogout(Browser browser) throws Exception {
        browser.addSecurityKey();
        String username = Fixtures.username("terminal");
        browser.open(invitations.invite(new Invitations.Request(username, null, "Terminal User", false), null).url())
                .type("Key name", "Laptop key").click("Register security key").waitForPath("/profile");

        HelperProcess login = HelperProcess.start(config, Map.of(), "login", "--portal", "http://localhost:8081", "--no-browser");
        Matcher code = CODE.matcher(login.awaitStderr("enter the code"));
        assertTrue(code.find());

        browser.open("/device").type("Code", code.group(1).toLowerCase().replace("-", "")).click("Continue");
        assertTrue(browser.byLabel("Code to compare").getText().contains(code.group(1)));
        assertTrue(browser.pageText().contains("Only approve a code you started yourself"));
        browser.click("Approve with security key").waitForText("Device result", "is signed in");

        assertEquals(0, login.waitFor(30), String.join("\n", login.remainingStderr()));
        Path session;
        try (var files = Files.list(config.resolve("latch"))) {
            session = files.filter(p -> p.getFileName().toString().startsWith("session-")).findFirst().orElseThrow();
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(session)));

        HelperProcess status = HelperProcess.start(config, Map.of(), "status");
        assertEquals(0, status.waitFor(20));
        assertTrue(status.stdout().contains("Signed in to http://localhost:8081 as " + username), status.stdout());

        Path launcher = bin.resolve("latch");
        Files.writeString(launcher, "#!/bin/sh\nexit 0\n");
        launcher.toFile().setExecutable(true);
        HelperProcess doctor = HelperProcess.start(config, Map.of("PATH", bin + ":" + System.getenv("PATH")), "doctor");
        assertEquals(0, doctor.waitFor(30), doctor.stdout() + doctor.stderr());
        assertTrue(doctor.stdout().contains("ok    signed in as " + username), doctor.stdout());
        assertTrue(doctor.stdout().contains("ok    clock within 30 s"), doctor.stdout());

        browser.open("/profile").byLabel("Signed-in devices");
        browser.waitForText("Signed-in devices", "latch");

        HelperProcess logout = HelperProcess.start(config, Map.of(), "logout");
        assertEquals(0, logout.waitFor(20));
        assertTrue(logout.awaitStderr("Signed out of").contains("http://localhost:8081"));
        HelperProcess after = HelperProcess.start(config, Map.of(), "status");
        assertEquals(1, after.waitFor(20));
        browser.open("/profile");
        browser.waitForText("Signed-in devices", "No terminal is signed in");
    }
}
