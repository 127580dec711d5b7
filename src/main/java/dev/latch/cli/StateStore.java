package dev.latch.cli;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * The helper's files under {@code $XDG_CONFIG_HOME/latch} (default {@code ~/.config/latch}):
 * the default portal in {@code config}, and one session file per portal. Directories are 0700 and
 * files 0600; a state file others can read is refused rather than used.
 */
final class StateStore {

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

    private final Path dir;

    StateStore(Path dir) {
        this.dir = dir;
    }

    static StateStore fromEnvironment(Map<String, String> env) {
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".config");
        return new StateStore(base.resolve("latch"));
    }

    Path dir() {
        return dir;
    }

    Optional<String> defaultPortal() {
        Optional<Properties> config = read(dir.resolve("config"));
        String portal = config.isPresent() ? config.get().getProperty("portal") : null;
        return portal == null || portal.isBlank() ? Optional.empty() : Optional.of(portal);
    }

    void setDefaultPortal(String portal) {
        Properties config = read(dir.resolve("config")).orElseGet(Properties::new);
        config.setProperty("portal", portal);
        write(dir.resolve("config"), config);
    }

    Optional<Properties> session(String portal) {
        return read(sessionFile(portal));
    }

    void saveSession(String portal, Properties session) {
        write(sessionFile(portal), session);
    }

    boolean deleteSession(String portal) {
        try {
            return Files.deleteIfExists(sessionFile(portal));
        } catch (IOException e) {
            throw new CliException("Could not delete " + sessionFile(portal) + ": " + e.getMessage());
        }
    }

    Path sessionFile(String portal) {
        return dir.resolve("session-" + portalKey(portal) + ".properties");
    }

    /** The lock every refresh of this portal's session happens under (the refresh token rotates). */
    Path sessionLockFile(String portal) {
        return lockFile("session-" + portalKey(portal));
    }

    /** The device login a non-interactive helper started and others share (see SharedDeviceLogin). */
    Path pendingLoginFile(String portal) {
        return dir.resolve("pending-login-" + portalKey(portal) + ".properties");
    }

    /** When a helper last opened the portal's key-touch page (see TouchConfirmation). */
    Path touchFile(String portal) {
        return dir.resolve("touch-" + portalKey(portal) + ".properties");
    }

    Path lockFile(String name) {
        return dir.resolve("locks").resolve(safe(name) + ".lock");
    }

    Path cacheFile(String name) {
        return dir.resolve("cache").resolve(safe(name) + ".json");
    }

    /** Deletes every cached credential (after logout, a cached token must not outlive the sign-in). */
    void deleteCaches() {
        Path caches = dir.resolve("cache");
        if (!Files.isDirectory(caches)) {
            return;
        }
        try (java.util.stream.Stream<Path> files = Files.list(caches)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new CliException("Could not delete the cached credentials in " + caches + ": " + e.getMessage());
        }
    }

    /** host[_port] of a portal, safe as part of a file name. */
    static String portalKey(String portal) {
        URI uri = URI.create(portal);
        return safe((uri.getHost() == null ? "portal" : uri.getHost()) + (uri.getPort() > 0 ? "_" + uri.getPort() : ""));
    }

    static String safe(String name) {
        StringBuilder safe = new StringBuilder(name.length());
        for (char c : name.toCharArray()) {
            safe.append(Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-' ? c : '_');
        }
        return safe.toString();
    }

    /** Problems with the files' permissions, as lines for {@code latch doctor}; empty when fine. */
    Optional<String> permissionProblem(Path path) {
        if (!POSIX || !Files.exists(path)) {
            return Optional.empty();
        }
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
            boolean directory = Files.isDirectory(path);
            Set<PosixFilePermission> allowed = directory ? OWNER_DIR : OWNER_FILE;
            if (!allowed.containsAll(permissions)) {
                return Optional.of(path + " is " + PosixFilePermissions.toString(permissions) + "; run: chmod "
                        + (directory ? "700 " : "600 ") + path);
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot read the permissions of " + path + ": " + e.getMessage());
        }
    }

    Optional<Properties> read(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        // plain loops and java.io here: no lambdas or regex on the path of `latch status` (start-up time)
        refuseIfShared(file);
        Properties properties = new Properties();
        try (Reader reader = new java.io.InputStreamReader(new java.io.FileInputStream(file.toFile()), StandardCharsets.UTF_8)) {
            properties.load(reader);
            return Optional.of(properties);
        } catch (IOException e) {
            throw new CliException("Could not read " + file + ": " + e.getMessage());
        }
    }

    /** A state file's text, or empty when there is none; refused when others can read it. */
    Optional<String> readText(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        refuseIfShared(file);
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new CliException("Could not read " + file + ": " + e.getMessage());
        }
    }

    void writeText(Path file, String text) {
        try {
            lockDownStateDirectory();
            Path temp = privateTempFile(file.getParent());
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            moveInto(temp, file);
        } catch (IOException e) {
            throw new CliException("Could not write " + file + ": " + e.getMessage());
        }
    }

    void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new CliException("Could not delete " + file + ": " + e.getMessage());
        }
    }

    void write(Path file, Properties properties) {
        try {
            lockDownStateDirectory();
            Path temp = privateTempFile(file.getParent());
            try (Writer writer = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                properties.store(writer, "latch helper state; do not share");
            }
            moveInto(temp, file);
        } catch (IOException e) {
            throw new CliException("Could not write " + file + ": " + e.getMessage());
        }
    }

    /** The state directory is 0700 even when someone made it before the helper did. */
    private void lockDownStateDirectory() throws IOException {
        createPrivateDirectories(dir);
        if (POSIX) {
            Files.setPosixFilePermissions(dir, OWNER_DIR);
        }
    }

    private void refuseIfShared(Path file) {
        Optional<String> problem = permissionProblem(dir);
        if (problem.isEmpty()) {
            problem = permissionProblem(file);
        }
        if (problem.isPresent()) {
            throw new CliException("Refusing to use state that others can read: " + problem.get());
        }
    }

    /** A new empty 0600 file in {@code folder} (made 0700 if missing), to be moved over its target. */
    static Path privateTempFile(Path folder) throws IOException {
        createPrivateDirectories(folder);
        return POSIX ? Files.createTempFile(folder, ".tmp-", ".latch", PosixFilePermissions.asFileAttribute(OWNER_FILE))
                : Files.createTempFile(folder, ".tmp-", ".latch");
    }

    /** Creates {@code folder} (0700 when this call makes it; existing folders are left as they are). */
    static void createPrivateDirectories(Path folder) {
        try {
            if (Files.isDirectory(folder)) {
                return;
            }
            if (POSIX) {
                Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(OWNER_DIR));
                Files.setPosixFilePermissions(folder, OWNER_DIR);
            } else {
                Files.createDirectories(folder);
            }
        } catch (IOException e) {
            throw new CliException("Could not create " + folder + ": " + e.getMessage());
        }
    }

    /** Replaces {@code target} in one step, so readers see the old or the new file, never half of one. */
    static void moveInto(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
