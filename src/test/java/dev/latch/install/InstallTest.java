package dev.latch.install;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.testing.ChildEnvironment;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** "curl -fsSL <portal>/install.sh | sh" as a new user runs it, against the running portal. */
@QuarkusTest
class InstallTest {

    @TempDir
    Path home;

    @Test
    void theInstallScriptInstallsAVerifiedHelperThatRuns() throws Exception {
        byte[] jar = given().get("/download/latch.jar").then().statusCode(200)
                .contentType("application/java-archive").extract().asByteArray();
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(jar));
        given().get("/install").then().statusCode(200).body(containsString("curl -fsSL http://localhost:8081/install.sh | sh"))
                .body(containsString(sha256));
        String script = given().get("/install.sh").then().statusCode(200).extract().asString();
        assertTrue(script.startsWith("#!/bin/sh\n"), script);
        assertTrue(script.contains("SHA256='" + sha256 + "'"), script);

        Process install = sh(script);
        String output = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(install.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, install.exitValue(), output);
        assertTrue(output.contains("Next: latch login --portal http://localhost:8081"), output);

        Process version = ChildEnvironment.hermetic(new ProcessBuilder(home.resolve(".local/bin/latch").toString(), "version"), home)
                .redirectErrorStream(true).start();
        String printed = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(version.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, version.exitValue(), printed);
        assertTrue(printed.startsWith("latch "), printed);
    }

    @Test
    void aDownloadThatDoesNotMatchTheChecksumIsNotInstalled() throws Exception {
        String script = given().get("/install.sh").then().statusCode(200).extract().asString()
                .replaceFirst("SHA256='[0-9a-f]{64}'", "SHA256='" + "0".repeat(64) + "'");
        Process install = sh(script);
        String output = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(install.waitFor(60, TimeUnit.SECONDS));
        assertEquals(1, install.exitValue(), output);
        assertTrue(output.contains("checksum mismatch"), output);
        assertFalse(Files.exists(home.resolve(".local/share/latch/latch.jar")));
        assertFalse(Files.exists(home.resolve(".local/bin/latch")));
    }

    private Process sh(String script) throws Exception {
        ProcessBuilder builder = ChildEnvironment.hermetic(new ProcessBuilder("sh"), home).redirectErrorStream(true);
        builder.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":/usr/local/bin:/usr/bin:/bin");
        Process process = builder.start();
        process.getOutputStream().write(script.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        return process;
    }
}
