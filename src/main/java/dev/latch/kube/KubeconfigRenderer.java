package dev.latch.kube;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Kubeconfig YAML for issuances: one cluster, context and exec user per entry. The exec user runs
 * {@code latch kube token --portal <url> --issuance <id>} (client.authentication.k8s.io/v1,
 * interactiveMode IfAvailable so kubectl in a terminal can sign in inline). SnakeYAML does the
 * quoting, so no value can break out of its field.
 */
public final class KubeconfigRenderer {

    static final String EXEC_API_VERSION = "client.authentication.k8s.io/v1";

    private KubeconfigRenderer() {
    }

    /** One context of the file. */
    public record Entry(String issuanceId, String contextName, String clusterName, String userName, String server, String caData,
            String namespace) {
    }

    public static String render(List<String> headerLines, List<Entry> entries, String portalUrl, String installHint) {
        List<Map<String, Object>> clusters = new ArrayList<>();
        List<Map<String, Object>> contexts = new ArrayList<>();
        List<Map<String, Object>> users = new ArrayList<>();
        for (Entry entry : entries) {
            Map<String, Object> cluster = new LinkedHashMap<>();
            cluster.put("server", entry.server());
            cluster.put("certificate-authority-data", entry.caData());
            clusters.add(named(entry.clusterName(), "cluster", cluster));

            Map<String, Object> context = new LinkedHashMap<>();
            context.put("cluster", entry.clusterName());
            context.put("user", entry.userName());
            if (entry.namespace() != null) {
                context.put("namespace", entry.namespace());
            }
            contexts.add(named(entry.contextName(), "context", context));

            Map<String, Object> exec = new LinkedHashMap<>();
            exec.put("apiVersion", EXEC_API_VERSION);
            exec.put("command", "latch");
            exec.put("args", List.of("kube", "token", "--portal", portalUrl, "--issuance", entry.issuanceId()));
            exec.put("interactiveMode", "IfAvailable");
            exec.put("provideClusterInfo", false);
            exec.put("installHint", installHint);
            users.add(named(entry.userName(), "user", Map.of("exec", exec)));
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("apiVersion", "v1");
        config.put("kind", "Config");
        config.put("clusters", clusters);
        config.put("contexts", contexts);
        config.put("users", users);
        config.put("current-context", entries.isEmpty() ? "" : entries.get(0).contextName());
        config.put("preferences", Map.of());

        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndicatorIndent(0);
        options.setWidth(Integer.MAX_VALUE); // long base64 CA data stays on one line
        StringBuilder yaml = new StringBuilder();
        for (String line : headerLines) {
            yaml.append("# ").append(printable(line)).append('\n');
        }
        yaml.append(new Yaml(options).dump(config));
        return yaml.toString();
    }

    /**
     * The header line with printable characters only: YAML breaks lines at NEL, U+2028 and U+2029 as
     * well as at CR and LF, and a display name goes into the header, so anything that is not
     * printable (controls, line and paragraph separators, invisible format characters such as bidi
     * overrides) becomes a space.
     */
    static String printable(String line) {
        StringBuilder out = new StringBuilder(line.length());
        line.codePoints().forEach(c -> {
            int type = Character.getType(c);
            boolean hidden = type == Character.CONTROL || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR || type == Character.FORMAT
                    || type == Character.SURROGATE || type == Character.UNASSIGNED;
            out.appendCodePoint(hidden ? ' ' : c);
        });
        return out.toString();
    }

    private static Map<String, Object> named(String name, String key, Map<String, Object> value) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("name", name);
        item.put(key, value);
        return item;
    }
}
