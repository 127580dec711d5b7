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

/**
 * Writes Latch's clusters, users and contexts into a kubeconfig without a YAML library: the new
 * entries are rendered into a small file of their own, and the real {@code kubectl} merges it
 * with the existing file ({@code KUBECONFIG=new:existing kubectl config view --flatten}). kubectl's
 * rule that the first file wins on equal names makes the new entries replace Latch's old ones and
 * keeps every unrelated entry. The existing current-context is kept; when kubectl would see none
 * (an empty {@code current-context: ""} is none), the first new context, or the one asked for,
 * becomes current, because otherwise the first {@code kubectl get} after setup goes to
 * localhost:8080. The result replaces the file in one step (0600); the previous file is kept as
 * {@code <file>.latch-backup} (only the newest backup).
 */
final class KubeconfigWriter {

    /** One context to write: a cluster, the Latch user for one level on it, and the context joining them. */
    record Entry(String contextName, String clusterName, String userName, String server, String certificateAuthorityData,
            String namespace, String portal, String issuanceId) {
    }

    /** What a merge did: whether a previous file was kept, the current context afterwards, and whether the merge set it. */
    record Merged(boolean backedUp, String currentContext, boolean setCurrent) {
    }

    private final Kubectl kubectl;

    KubeconfigWriter(Kubectl kubectl) {
        this.kubectl = kubectl;
    }

    /**
     * The kubeconfig files in kubectl's order: {@code --kubeconfig} alone, else the files in
     * $KUBECONFIG (blank and repeated entries dropped, as kubectl does), else ~/.kube/config.
     * Latch writes the first one, where kubectl looks first.
     */
    static List<Path> files(String flag, Map<String, String> env) {
        if (flag != null) {
            return List.of(Path.of(flag));
        }
        Set<Path> files = new LinkedHashSet<>();
        String list = env.get("KUBECONFIG");
        if (list != null) {
            for (String path : list.split(File.pathSeparator)) {
                if (!path.isBlank()) {
                    files.add(Path.of(path));
                }
            }
        }
        if (files.isEmpty()) {
            files.add(Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".kube", "config"));
        }
        return List.copyOf(files);
    }

    /**
     * Merges {@code entries} into the first of {@code files}. {@code wanted} (a context among the
     * entries, or null) becomes current; with none, the first entry does when kubectl would see no
     * current context in {@code files}.
     */
    Merged merge(List<Path> files, List<Entry> entries, String helperCommand, String wanted) {
        Path target = files.get(0);
        Path folder = target.toAbsolutePath().getParent();
        Path fresh = null;
        Path merged = null;
        try {
            fresh = StateStore.privateTempFile(folder);
            merged = StateStore.privateTempFile(folder);
            Files.writeString(fresh, render(entries, helperCommand), StandardCharsets.UTF_8);
            boolean existing = Files.exists(target);
            kubectl.write(existing ? List.of(fresh, target) : List.of(fresh), merged, "config", "view", "--flatten");
            if (Files.size(merged) == 0) {
                throw new CliException("kubectl could not merge " + target + ": no output");
            }
            List<Path> asKubectlWillRead = new ArrayList<>(files);
            asKubectlWillRead.set(0, merged);
            String current = kubectl.read(asKubectlWillRead, "config", "view", "-o", "jsonpath={.current-context}").strip();
            boolean setCurrent = wanted != null || current.isEmpty();
            if (setCurrent) {
                current = wanted != null ? wanted : entries.get(0).contextName();
                kubectl.read(List.of(merged), "config", "use-context", current);
            }
            if (existing) {
                Path backup = backupOf(target);
                Files.copy(target, backup, StandardCopyOption.REPLACE_EXISTING);
                restrict(backup);
            }
            StateStore.moveInto(merged, target);
            merged = null;
            return new Merged(existing, current, setCurrent);
        } catch (IOException e) {
            throw new CliException("Could not write " + target + ": " + e.getMessage());
        } finally {
            deleteQuietly(fresh);
            deleteQuietly(merged);
        }
    }

    /**
     * Makes {@code context} current in {@code file}, keeping everything else: kubectl sets it in a
     * private copy next to the file, which then replaces the file in one step.
     */
    static void setCurrentContext(Kubectl kubectl, Path file, String context) {
        Path copy = null;
        try {
            copy = StateStore.privateTempFile(file.toAbsolutePath().getParent());
            if (Files.exists(file)) {
                Files.write(copy, Files.readAllBytes(file));
            }
            kubectl.read(List.of(copy), "config", "set", "current-context", context);
            StateStore.moveInto(copy, file);
            copy = null;
        } catch (IOException e) {
            throw new CliException("Could not write " + file + ": " + e.getMessage());
        } finally {
            deleteQuietly(copy);
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
