package dev.latch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoreTest {

    @TempDir
    Path home;

    @Test
    void writesPrivateFilesInAPrivateDirectory() throws Exception {
        StateStore store = new StateStore(home.resolve("latch"));
        Properties session = new Properties();
        session.setProperty("refresh_token", "secret");
        store.saveSession("https://latch.example.com", session);
        store.setDefaultPortal("https://latch.example.com");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.dir())));
        Path file = store.sessionFile("https://latch.example.com");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("secret", store.session("https://latch.example.com").orElseThrow().getProperty("refresh_token"));
        assertEquals("https://latch.example.com", store.defaultPortal().orElseThrow());
    }

    @Test
    void refusesStateThatOthersCanRead() throws Exception {
        StateStore store = new StateStore(home.resolve("latch"));
        store.saveSession("https://latch.example.com", new Properties());
        Path file = store.sessionFile("https://latch.example.com");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        CliException refused = assertThrows(CliException.class, () -> store.session("https://latch.example.com"));
        assertTrue(refused.getMessage().contains("chmod 600"), refused.getMessage());
        assertTrue(store.permissionProblem(file).isPresent());
    }

    @Test
    void portalsHaveSeparateSessionFiles() {
        StateStore store = new StateStore(home.resolve("latch"));
        assertTrue(!store.sessionFile("https://a.example.com").equals(store.sessionFile("https://b.example.com")));
        assertTrue(!store.sessionFile("http://localhost:8080").equals(store.sessionFile("http://localhost:8081")));
    }
}
