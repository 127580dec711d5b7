package dev.latch.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Writes Latch's clusters, users and contexts into a kubeconfig without a YAML library: the new
 * entries are rendered into a small file of their own, and the real {@code kubectl} merges it
 * with the existing file ({@code KUBECONFIG=new:existing kubectl config view --flatten}). kubectl's
 * rule that the first file wins on equal names makes the new entries replace Latch's old ones,
 * keeps every unrelated entry, and keeps the existing current-context (the new file sets none).
 * The result replaces the file in one step (0600); the previous file is kept as
 * {@code <file>.latch-backup} (only the newest backup).
 */
final class KubeconfigWriter {

    /** One context to write: a cluster, the Latch user for one level on it, and the context joining them. */
    record Entry(String contextName, String clusterName, String userName, String server, String certificateAuthorityData,
            String namespace, String portal, String issuanceId) {
    }

    private final Map<String, String> env;

    KubeconfigWriter(Map<String, String> env) {
        this.env = env;
    }

    /** {@code --kubeconfig}, else the first file in $KUBECONFIG, else ~/.kube/config. */
    static Path target(String flag, Map<String, String> env) {
        if (flag != null) {
            return Path.of(flag);
        }
        String list = env.get("KUBECONFIG");
        if (list != null) {
            for (String path : list.split(File.pathSeparator)) {
                if (!path.isBlank()) {
                    return Path.of(path);
                }
            }
        }
        return Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".kube", "config");
    }

    /** kubectl from PATH; the merge needs it, so setup checks before creating any issuance. */
    Path kubectl() {
        for (String dir : env.getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && new File(dir, "kubectl").canExecute()) {
                return Path.of(dir, "kubectl");
            }
        }
        throw new CliException("kubectl is not on your PATH; `latch setup` uses it to merge your kubeconfig. Install kubectl, "
                + "or run `latch setup --no-kube` for the AWS part only.", 2);
    }

    /** Returns whether the previous file was kept as a backup (there is none when the file is new). */
    boolean merge(Path target, List<Entry> entries, String helperCommand) {
        Path kubectl = kubectl();
        Path folder = target.toAbsolutePath().getParent();
        Path fresh = null;
        Path merged = null;
        try {
            fresh = StateStore.privateTempFile(folder);
            merged = StateStore.privateTempFile(folder);
            Files.writeString(fresh, render(entries, helperCommand), StandardCharsets.UTF_8);
            boolean existing = Files.exists(target);
            ProcessBuilder view = new ProcessBuilder(kubectl.toString(), "config", "view", "--flatten")
                    .redirectOutput(merged.toFile()).redirectErrorStream(false);
            view.environment().put("KUBECONFIG", existing ? fresh + File.pathSeparator + target : fresh.toString());
            Process process = view.start();
            String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0 || Files.size(merged) == 0) {
                process.destroy();
                String first = errors.isEmpty() ? "no output" : errors.lines().findFirst().orElse(errors);
                throw new CliException("kubectl could not merge " + target + ": " + first);
            }
            if (existing) {
                Path backup = backupOf(target);
                Files.copy(target, backup, StandardCopyOption.REPLACE_EXISTING);
                restrict(backup);
            }
            StateStore.moveInto(merged, target);
            merged = null;
            return existing;
        } catch (IOException e) {
            throw new CliException("Could not write " + target + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("Interrupted.", 130);
        } finally {
            deleteQuietly(fresh);
            deleteQuietly(merged);
        }
    }

    static Path backupOf(Path file) {
        return file.resolveSibling(file.getFileName() + ".latch-backup");
    }

    /** A kubeconfig with just Latch's entries; strings are JSON-quoted, which YAML reads as they are. */
    static String render(List<Entry> entries, String helperCommand) {
        StringBuilder yaml = new StringBuilder("apiVersion: v1\nkind: Config\nclusters:\n");
        Set<String> clusters = new LinkedHashSet<>();
        for (Entry entry : entries) {
            if (clusters.add(entry.clusterName())) {
                yaml.append("- name: ").append(q(entry.clusterName())).append("\n  cluster:\n    server: ").append(q(entry.server())).append('\n');
                if (entry.certificateAuthorityData() != null) {
                    yaml.append("    certificate-authority-data: ").append(q(entry.certificateAuthorityData())).append('\n');
                }
            }
        }
        yaml.append("contexts:\n");
        for (Entry entry : entries) {
            yaml.append("- name: ").append(q(entry.contextName())).append("\n  context:\n    cluster: ").append(q(entry.clusterName()))
                    .append("\n    user: ").append(q(entry.userName())).append('\n');
            if (entry.namespace() != null) {
                yaml.append("    namespace: ").append(q(entry.namespace())).append('\n');
            }
        }
        yaml.append("users:\n");
        for (Entry entry : entries) {
            List<String> args = new ArrayList<>(List.of("kube", "token", "--portal", entry.portal(), "--issuance", entry.issuanceId()));
            yaml.append("- name: ").append(q(entry.userName())).append("\n  user:\n    exec:\n")
                    .append("      apiVersion: \"client.authentication.k8s.io/v1\"\n")
                    .append("      command: ").append(q(helperCommand)).append('\n')
                    .append("      args:\n");
            for (String arg : args) {
                yaml.append("      - ").append(q(arg)).append('\n');
            }
            yaml.append("      interactiveMode: \"IfAvailable\"\n      provideClusterInfo: false\n")
                    .append("      installHint: ").append(q("latch is not installed. Install it with: curl -fsSL "
                            + entry.portal() + "/install.sh | sh")).append('\n');
        }
        return yaml.toString();
    }

    private static String q(String value) {
        StringBuilder out = new StringBuilder();
        Json.string(out, value == null ? "" : value);
        return out.toString();
    }

    static void restrict(Path file) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            if (file != null) {
                Files.deleteIfExists(file);
            }
        } catch (IOException ignored) {
            // a leftover temp file is harmless
        }
    }
}
