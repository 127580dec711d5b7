package dev.latch.inventory;

import dev.latch.inventory.InventoryDocument.AccountSpec;
import dev.latch.inventory.InventoryDocument.ClusterSpec;
import dev.latch.inventory.InventoryDocument.EntitlementSpec;
import dev.latch.inventory.InventoryDocument.GroupSpec;
import dev.latch.inventory.InventoryDocument.LevelSpec;
import dev.latch.inventory.InventoryDocument.StepSpec;
import java.io.Reader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads and validates the inventory file. Every problem is collected (not only the first) and
 * named by file, line and field, e.g. {@code inventory.yaml:14: accounts[1].id: must be 12 digits}.
 * Plain Java over SnakeYAML's node tree (which keeps line numbers); no framework.
 */
public final class InventoryFileParser {

    static final Pattern ACCOUNT_ID = Pattern.compile("[0-9]{12}");
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,30}");
    static final Pattern CONTEXT = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    static final Pattern GROUP = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]+");
    static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::[0-9]{12}:role/[\\w+=,.@/-]+");
    static final Pattern DURATION = Pattern.compile("([0-9]+)(m|h|d)");

    private final String file;
    private final List<String> errors = new ArrayList<>();

    private InventoryFileParser(String file) {
        this.file = file;
    }

    /** The outcome: a document when there are no errors. */
    public record Result(InventoryDocument document, List<String> errors) {
        public boolean ok() {
            return errors.isEmpty();
        }
    }

    public static Result parse(String fileName, Reader reader) {
        InventoryFileParser parser = new InventoryFileParser(fileName);
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            root = new Yaml(options).compose(reader);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            return new Result(null, List.of(fileName + ":" + line + ": not valid YAML: " + e.getProblem()));
        } catch (RuntimeException e) {
            return new Result(null, List.of(fileName + ": not valid YAML: " + e.getMessage()));
        }
        if (root == null) {
            return new Result(new InventoryDocument(List.of(), List.of(), List.of()), List.of());
        }
        InventoryDocument document = parser.document(root);
        return new Result(parser.errors.isEmpty() ? document : null, List.copyOf(parser.errors));
    }

    private InventoryDocument document(Node root) {
        MappingNode map = mapping(root, "(top level)");
        if (map == null) {
            return null;
        }
        allow(map, "(top level)", "accounts", "groups", "entitlements");
        List<AccountSpec> accounts = new ArrayList<>();
        List<Node> accountNodes = list(map, "accounts", "accounts");
        for (int i = 0; i < accountNodes.size(); i++) {
            accounts.add(account(accountNodes.get(i), "accounts[" + i + "]"));
        }
        List<GroupSpec> groups = new ArrayList<>();
        List<Node> groupNodes = list(map, "groups", "groups");
        for (int i = 0; i < groupNodes.size(); i++) {
            MappingNode g = mapping(groupNodes.get(i), "groups[" + i + "]");
            if (g != null) {
                allow(g, "groups[" + i + "]", "name", "description");
                groups.add(new GroupSpec(line(g), required(g, "groups[" + i + "]", "name", GROUP, "lower-case letters, digits, dot, dash, underscore"),
                        text(g, "description")));
            }
        }
        List<EntitlementSpec> entitlements = new ArrayList<>();
        List<Node> entitlementNodes = list(map, "entitlements", "entitlements");
        for (int i = 0; i < entitlementNodes.size(); i++) {
            entitlements.add(entitlement(entitlementNodes.get(i), "entitlements[" + i + "]"));
        }
        InventoryDocument document = new InventoryDocument(accounts, groups, entitlements);
        crossCheck(document);
        return document;
    }

    private AccountSpec account(Node node, String path) {
        MappingNode a = mapping(node, path);
        if (a == null) {
            return null;
        }
        allow(a, path, "id", "name", "environment", "region", "levels", "clusters");
        String region = required(a, path, "region", REGION, "an AWS region such as eu-west-1");
        List<LevelSpec> levels = levels(a, path);
        List<ClusterSpec> clusters = new ArrayList<>();
        List<Node> clusterNodes = list(a, "clusters", path + ".clusters");
        for (int i = 0; i < clusterNodes.size(); i++) {
            String cpath = path + ".clusters[" + i + "]";
            MappingNode c = mapping(clusterNodes.get(i), cpath);
            if (c == null) {
                continue;
            }
            allow(c, cpath, "name", "region", "kind", "endpoint", "caBundle", "context", "levels");
            String kind = text(c, "kind") == null ? "eks" : text(c, "kind");
            if (!kind.equals("eks") && !kind.equals("generic")) {
                error(c, "kind", cpath + ".kind", "must be eks or generic");
            }
            String endpoint = required(c, cpath, "endpoint", null, null);
            if (endpoint != null && !endpoint.startsWith("https://")) {
                error(c, "endpoint", cpath + ".endpoint", "must be an https:// URL");
            }
            String name = required(c, cpath, "name", CONTEXT, "lower-case letters, digits and dashes");
            String context = text(c, "context") == null ? name : text(c, "context");
            if (context != null && !CONTEXT.matcher(context).matches()) {
                error(c, "context", cpath + ".context", "must be lower-case letters, digits and dashes (e.g. staging-main)");
            }
            String clusterRegion = text(c, "region") == null ? region : text(c, "region");
            clusters.add(new ClusterSpec(line(c), name, clusterRegion, kind, endpoint, text(c, "caBundle") == null ? "" : text(c, "caBundle"),
                    context, levels(c, cpath)));
        }
        return new AccountSpec(line(a), required(a, path, "id", ACCOUNT_ID, "12 digits (quote it: \"012345678901\")"),
                required(a, path, "name", NAME, "lower-case letters, digits and dashes"),
                required(a, path, "environment", NAME, "lower-case letters, digits and dashes"), region, levels, clusters);
    }

    private List<LevelSpec> levels(MappingNode owner, String path) {
        List<LevelSpec> levels = new ArrayList<>();
        List<Node> nodes = list(owner, "levels", path + ".levels");
        for (int i = 0; i < nodes.size(); i++) {
            String lpath = path + ".levels[" + i + "]";
            MappingNode l = mapping(nodes.get(i), lpath);
            if (l == null) {
                continue;
            }
            allow(l, lpath, "name", "role", "description", "eksAccessPolicy", "scope", "namespaces", "kubernetesGroups", "breakGlass");
            String breakGlass = text(l, "breakGlass");
            if (breakGlass != null && !breakGlass.equals("true") && !breakGlass.equals("false")) {
                error(l, "breakGlass", lpath + ".breakGlass", "must be true or false");
            }
            String scope = text(l, "scope");
            List<String> namespaces = strings(l, "namespaces", lpath);
            if (scope != null && !scope.equals("cluster") && !scope.equals("namespace")) {
                error(l, "scope", lpath + ".scope", "must be cluster or namespace");
            }
            if ("namespace".equals(scope) && namespaces.isEmpty()) {
                error(l, "scope", lpath + ".namespaces", "a namespace scope needs at least one namespace");
            }
            levels.add(new LevelSpec(line(l), required(l, lpath, "name", NAME, "lower-case letters, digits and dashes"),
                    required(l, lpath, "role", ROLE_ARN, "an IAM role ARN (arn:aws:iam::<account>:role/<name>)"),
                    text(l, "description"), text(l, "eksAccessPolicy"), scope, namespaces, strings(l, "kubernetesGroups", lpath),
                    "true".equals(breakGlass)));
        }
        return levels;
    }

    private EntitlementSpec entitlement(Node node, String path) {
        MappingNode e = mapping(node, path);
        if (e == null) {
            return null;
        }
        allow(e, path, "group", "target", "level", "mode", "maxDuration", "approvals");
        String mode = required(e, path, "mode", null, null);
        if (mode != null && !mode.equals("standing") && !mode.equals("requestable")) {
            error(e, "mode", path + ".mode", "must be standing or requestable");
        }
        Duration max = Duration.ofDays(7);
        String rawMax = text(e, "maxDuration");
        if (rawMax != null) {
            Matcher m = DURATION.matcher(rawMax);
            if (!m.matches()) {
                error(e, "maxDuration", path + ".maxDuration", "must look like 30m, 4h or 7d");
            } else {
                long n = Long.parseLong(m.group(1));
                max = switch (m.group(2)) {
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            }
        }
        List<StepSpec> steps = new ArrayList<>();
        List<Node> stepNodes = list(e, "approvals", path + ".approvals");
        for (int i = 0; i < stepNodes.size(); i++) {
            String spath = path + ".approvals[" + i + "]";
            MappingNode s = mapping(stepNodes.get(i), spath);
            if (s == null) {
                continue;
            }
            allow(s, spath, "manager", "group", "count");
            boolean manager = "true".equals(text(s, "manager"));
            String group = text(s, "group");
            if (manager == (group != null)) {
                error(s, null, spath, "a step is either `manager: true` or `group: <name>`");
            }
            int count = 1;
            if (text(s, "count") != null) {
                try {
                    count = Integer.parseInt(text(s, "count"));
                } catch (NumberFormatException notANumber) {
                    count = 0;
                }
                if (count < 1 || count > 10) {
                    error(s, "count", spath + ".count", "must be a number from 1 to 10");
                }
            }
            steps.add(new StepSpec(line(s), manager, group, count));
        }
        if ("requestable".equals(mode) && steps.isEmpty()) {
            error(e, "mode", path + ".approvals", "a requestable entitlement needs at least one approval step");
        }
        return new EntitlementSpec(line(e), required(e, path, "group", GROUP, "an existing group name"),
                required(e, path, "target", CONTEXT, "a cluster context or an account name"),
                required(e, path, "level", NAME, "a level name"), mode, max, steps);
    }

    /** References and duplicates across the document. */
    private void crossCheck(InventoryDocument document) {
        Set<String> ids = new HashSet<>();
        Set<String> contexts = new HashSet<>();
        Set<String> accountNames = new HashSet<>();
        for (AccountSpec account : document.accounts()) {
            if (account == null) {
                continue;
            }
            if (account.id() != null && !ids.add(account.id())) {
                errors.add(file + ":" + account.line() + ": accounts: the account id " + account.id() + " appears twice");
            }
            if (account.name() != null) {
                accountNames.add(account.name());
            }
            for (ClusterSpec cluster : account.clusters()) {
                if (cluster.context() != null && !contexts.add(cluster.context())) {
                    errors.add(file + ":" + cluster.line() + ": clusters: the context " + cluster.context() + " appears twice");
                }
            }
        }
        Set<String> groups = new HashSet<>();
        document.groups().forEach(g -> groups.add(g.name()));
        for (EntitlementSpec entitlement : document.entitlements()) {
            if (entitlement == null) {
                continue;
            }
            if (entitlement.target() != null && !contexts.contains(entitlement.target()) && !accountNames.contains(entitlement.target())) {
                errors.add(file + ":" + entitlement.line() + ": entitlements: target " + entitlement.target()
                        + " is neither a cluster context nor an account name in this file");
            }
            if (entitlement.group() != null && !groups.contains(entitlement.group())) {
                errors.add(file + ":" + entitlement.line() + ": entitlements: group " + entitlement.group() + " is not declared under groups");
            }
        }
    }

    // --- node helpers --------------------------------------------------------------------------

    private MappingNode mapping(Node node, String path) {
        if (node instanceof MappingNode map) {
            return map;
        }
        errors.add(file + ":" + line(node) + ": " + path + ": expected a mapping (key: value)");
        return null;
    }

    private List<Node> list(MappingNode map, String key, String path) {
        Node value = value(map, key);
        if (value == null) {
            return List.of();
        }
        if (value instanceof SequenceNode seq) {
            return seq.getValue();
        }
        errors.add(file + ":" + line(value) + ": " + path + ": expected a list");
        return List.of();
    }

    private List<String> strings(MappingNode map, String key, String path) {
        List<String> values = new ArrayList<>();
        for (Node item : list(map, key, path + "." + key)) {
            if (item instanceof ScalarNode scalar) {
                values.add(scalar.getValue());
            } else {
                errors.add(file + ":" + line(item) + ": " + path + "." + key + ": expected plain values");
            }
        }
        return values;
    }

    private String required(MappingNode map, String path, String key, Pattern format, String expected) {
        String value = text(map, key);
        if (value == null || value.isBlank()) {
            errors.add(file + ":" + line(map) + ": " + path + "." + key + ": is required");
            return null;
        }
        if (format != null && !format.matcher(value).matches()) {
            error(map, key, path + "." + key, "must be " + expected + ", not \"" + value + "\"");
        }
        return value;
    }

    private String text(MappingNode map, String key) {
        Node value = value(map, key);
        if (value == null) {
            return null;
        }
        if (value instanceof ScalarNode scalar) {
            return scalar.getValue();
        }
        errors.add(file + ":" + line(value) + ": " + key + ": expected a single value");
        return null;
    }

    private void allow(MappingNode map, String path, String... keys) {
        Set<String> allowed = Set.of(keys);
        for (NodeTuple tuple : map.getValue()) {
            String key = ((ScalarNode) tuple.getKeyNode()).getValue();
            if (!allowed.contains(key)) {
                errors.add(file + ":" + line(tuple.getKeyNode()) + ": " + path + "." + key + ": unknown field (expected one of "
                        + String.join(", ", keys) + ")");
            }
        }
    }

    private void error(MappingNode map, String key, String path, String message) {
        Node at = key == null ? map : value(map, key);
        errors.add(file + ":" + line(at == null ? map : at) + ": " + path + ": " + message);
    }

    private static Node value(MappingNode map, String key) {
        for (NodeTuple tuple : map.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                return tuple.getValueNode();
            }
        }
        return null;
    }

    private static int line(Node node) {
        return node == null || node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }
}
