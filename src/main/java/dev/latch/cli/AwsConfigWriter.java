package dev.latch.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes Latch's profiles into the AWS CLI's config file. Latch marks each section it writes with
 * a comment line right after the header ({@code # managed by latch: <portal>}) and only ever
 * rewrites, or removes when no longer usable, sections carrying its mark for the same portal.
 * Every other line stays as it is, so hand-written profiles, comments and SSO settings survive.
 * A profile of the same name without the mark is left alone (and reported). The previous file is
 * kept as {@code <file>.latch-backup}; an unchanged file is not written at all.
 */
final class AwsConfigWriter {

    static final String MARK = "# managed by latch: ";

    /** One profile: its name ({@code latch-staging-read-only}) and its key = value lines. */
    record Profile(String name, List<String> settings) {
    }

    /** {@code --aws-config}, else $AWS_CONFIG_FILE, else ~/.aws/config. */
    static Path target(String flag, Map<String, String> env) {
        if (flag != null) {
            return Path.of(flag);
        }
        String configured = env.get("AWS_CONFIG_FILE");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".aws", "config");
    }

    /** The new file text; names of profiles left alone because someone else wrote them go to {@code skipped}. */
    static String merge(String existing, String portal, List<Profile> profiles, List<String> skipped) {
        Map<String, Profile> wanted = new LinkedHashMap<>();
        for (Profile profile : profiles) {
            wanted.put("profile " + profile.name(), profile);
        }
        List<String> out = new ArrayList<>();
        boolean dropping = false;
        List<String> lines = existing.isEmpty() ? List.of() : List.of(existing.split("\r?\n", -1));
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String header = header(line);
            if (header != null) {
                boolean ours = i + 1 < lines.size() && lines.get(i + 1).strip().equals(MARK + portal);
                dropping = ours;
                if (ours && wanted.containsKey(header)) {
                    render(out, wanted.remove(header), portal); // rewritten in place
                    out.add("");
                } else if (!ours && wanted.containsKey(header)) {
                    skipped.add(header);
                    wanted.remove(header);
                }
            }
            if (!dropping) {
                out.add(line);
            }
        }
        stripTrailingBlankLines(out);
        for (Profile profile : wanted.values()) {
            if (!out.isEmpty()) {
                out.add("");
            }
            render(out, profile, portal);
        }
        stripTrailingBlankLines(out);
        return out.isEmpty() ? "" : String.join("\n", out) + "\n";
    }

    /** Writes {@code content} when it differs; returns whether the file changed. */
    static boolean write(Path file, String content) {
        try {
            if (Files.exists(file) && Files.readString(file, StandardCharsets.UTF_8).equals(content)) {
                return false;
            }
            Path folder = file.toAbsolutePath().getParent();
            if (Files.exists(file)) {
                Path backup = KubeconfigWriter.backupOf(file);
                Files.copy(file, backup, StandardCopyOption.REPLACE_EXISTING);
                KubeconfigWriter.restrict(backup);
            }
            Path temp = StateStore.privateTempFile(folder);
            Files.writeString(temp, content, StandardCharsets.UTF_8);
            StateStore.moveInto(temp, file);
            return true;
        } catch (IOException e) {
            throw new CliException("Could not write " + file + ": " + e.getMessage());
        }
    }

    /** A profile name part: letters, digits, {@code _} and {@code -} only. */
    static String sanitise(String name) {
        StringBuilder safe = new StringBuilder();
        for (char c : (name == null ? "" : name).toCharArray()) {
            safe.append((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ? c : '-');
        }
        return safe.toString();
    }

    private static void render(List<String> out, Profile profile, String portal) {
        out.add("[profile " + profile.name() + "]");
        out.add(MARK + portal);
        out.addAll(profile.settings());
    }

    private static void stripTrailingBlankLines(List<String> lines) {
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
            lines.remove(lines.size() - 1);
        }
    }

    private static String header(String line) {
        String trimmed = line.strip();
        return trimmed.length() > 2 && trimmed.startsWith("[") && trimmed.endsWith("]")
                ? trimmed.substring(1, trimmed.length() - 1).strip().replaceAll("\\s+", " ") : null;
    }
}
