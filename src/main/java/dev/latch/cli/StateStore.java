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
        URI uri = URI.create(portal);
        String host = (uri.getHost() == null ? "portal" : uri.getHost()) + (uri.getPort() > 0 ? "_" + uri.getPort() : "");
        StringBuilder safe = new StringBuilder(host.length());
        for (char c : host.toCharArray()) {
            safe.append(Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-' ? c : '_');
        }
        return dir.resolve("session-" + safe + ".properties");
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

    private Optional<Properties> read(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        // plain loops and java.io here: no lambdas or regex on the path of `latch status` (start-up time)
        Optional<String> problem = permissionProblem(dir);
        if (problem.isEmpty()) {
            problem = permissionProblem(file);
        }
        if (problem.isPresent()) {
            throw new CliException("Refusing to use state that others can read: " + problem.get());
        }
        Properties properties = new Properties();
        try (Reader reader = new java.io.InputStreamReader(new java.io.FileInputStream(file.toFile()), StandardCharsets.UTF_8)) {
            properties.load(reader);
            return Optional.of(properties);
        } catch (IOException e) {
            throw new CliException("Could not read " + file + ": " + e.getMessage());
        }
    }

    private void write(Path file, Properties properties) {
        try {
            if (POSIX) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
                Files.setPosixFilePermissions(dir, OWNER_DIR);
            } else {
                Files.createDirectories(dir);
            }
            Path temp = POSIX ? Files.createTempFile(dir, ".tmp-", ".properties", PosixFilePermissions.asFileAttribute(OWNER_FILE))
                    : Files.createTempFile(dir, ".tmp-", ".properties");
            try (Writer writer = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                properties.store(writer, "latch helper state; do not share");
            }
            try {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new CliException("Could not write " + file + ": " + e.getMessage());
        }
    }
}
