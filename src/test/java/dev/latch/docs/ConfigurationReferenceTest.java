package dev.latch.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import io.smallrye.config.WithParentName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps docs/configuration.md, the one configuration reference, in step with the code. The
 * {@code latch.*} keys the code reads are derived by reflection from every {@code @ConfigMapping}
 * interface under {@code dev.latch} (method names in kebab case, nested groups dotted,
 * {@code @WithName}, {@code @WithParentName}, {@code @WithDefault}); the documentation is read as
 * Markdown tables. Plain JUnit: no Quarkus, no database.
 */
class ConfigurationReferenceTest {

    private static final Path REFERENCE = Path.of("docs/configuration.md");
    private static final Path PROPERTIES = Path.of("src/main/resources/application.properties");
    private static final Path SOURCES = Path.of("src/main/java/dev/latch");

    /** A key in backticks, e.g. {@code `latch.oauth.session-duration`}; a trailing {@code .*} names a whole group. */
    private static final Pattern DOC_KEY = Pattern.compile("`(latch(?:\\.[a-z0-9][a-z0-9-]*)+)(\\.\\*)?(?:=[^`]*)?`");

    /**
     * Names in the docs that look like keys but are not configuration: the example host name, the helper's jar file, and
     * the system property of the browser test rig (set by pom.xml, read by no production code).
     */
    private static final Set<String> NOT_CONFIGURATION = Set.of("latch.example.com", "latch.jar", "latch.test.screenshots");

    /** One configuration property as the code defines it. */
    record Property(String key, Class<?> owner, String javaType, boolean optional, String defaultValue) {
        boolean required() {
            return !optional && defaultValue == null;
        }

        String envVar() {
            return key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
        }
    }

    // --- the code ---------------------------------------------------------------------------

    @Test
    void theDerivationFollowsSmallRyeNaming() {
        Map<String, Property> keys = codeProperties();
        // method names, nested groups and defaults
        assertEquals("5", keys.get("latch.oauth.user-code-attempts-per-minute").defaultValue());
        assertTrue(keys.get("latch.webauthn.attestation.metadata-trust-root").optional());
        assertTrue(keys.get("latch.portal.public-url").required());
        assertEquals("LATCH_NOTIFY_WEBHOOK_URL", keys.get("latch.notify.webhook.url").envVar());
        assertTrue(keys.keySet().stream().noneMatch(k -> k.endsWith(".email") || k.endsWith(".attestation")),
                "groups are not properties themselves: " + keys.keySet());
    }

    @Test
    void everyConfigMappingInterfaceIsFound() throws IOException {
        // a source scan as a cross-check of the class scan: a mapping that failed to load must not vanish silently
        Set<String> fromSources;
        try (Stream<Path> files = Files.walk(SOURCES)) {
            fromSources = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> read(p).contains("@ConfigMapping("))
                    .map(p -> "dev.latch." + SOURCES.relativize(p).toString().replace(".java", "").replace('/', '.').replace('\\', '.'))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        Set<String> fromClasses = mappings().stream().map(Class::getName).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(fromSources, fromClasses);
        assertTrue(fromClasses.size() >= 13, "expected the known mappings, found " + fromClasses);
        for (Class<?> mapping : mappings()) {
            assertTrue(mapping.getAnnotation(ConfigMapping.class).prefix().startsWith("latch."),
                    mapping.getName() + " should read keys under latch.");
            assertEquals(ConfigMapping.NamingStrategy.KEBAB_CASE, mapping.getAnnotation(ConfigMapping.class).namingStrategy(),
                    mapping.getName() + " uses another naming strategy; teach this test about it");
        }
    }

    // --- code -> docs -----------------------------------------------------------------------

    @Test
    void everyKeyTheCodeReadsIsInTheReference() {
        Map<String, Row> documented = referenceRows();
        List<String> missing = codeProperties().values().stream()
                .filter(p -> !documented.containsKey(p.key()))
                .map(p -> p.key() + " (" + p.owner().getSimpleName() + ", " + p.javaType()
                        + (p.defaultValue() != null ? ", default " + p.defaultValue() : p.optional() ? ", optional" : ", required") + ")")
                .toList();
        assertTrue(missing.isEmpty(), "docs/configuration.md has no table row for:\n  " + String.join("\n  ", missing));
    }

    @Test
    void documentedRowsAgreeWithTheCode() {
        Map<String, Property> code = codeProperties();
        List<String> wrong = new ArrayList<>();
        for (Row row : referenceRows().values()) {
            Property p = code.get(row.key());
            if (p == null) {
                continue; // reported by everyKeyInTheReferenceExists
            }
            row.cell("env var").ifPresent(env -> {
                if (!env.contains("`" + p.envVar() + "`")) {
                    wrong.add(p.key() + ": env var should be `" + p.envVar() + "`, the table says " + env);
                }
            });
            row.cell("default").ifPresent(def -> {
                if (p.defaultValue() != null && p.defaultValue().length() <= 60 && !def.contains("`" + p.defaultValue() + "`")) {
                    wrong.add(p.key() + ": default should mention `" + p.defaultValue() + "`, the table says " + def);
                }
            });
            row.cell("type").ifPresent(type -> {
                if (p.optional() && !type.contains("optional")) {
                    wrong.add(p.key() + ": type should say optional, the table says " + type);
                }
                if (p.required() && !type.contains("required")) {
                    wrong.add(p.key() + ": type should say required, the table says " + type);
                }
            });
        }
        assertTrue(wrong.isEmpty(), "docs/configuration.md disagrees with the code:\n  " + String.join("\n  ", wrong));
    }

    // --- docs -> code -----------------------------------------------------------------------

    @Test
    void everyKeyInTheReferenceExists() {
        assertNoStaleKeys(REFERENCE, tableLines(read(REFERENCE)));
    }

    @Test
    void everyKeyMentionedInTheOtherDocsExists() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(Path.of("README.md")));
        try (Stream<Path> files = Files.list(Path.of("docs"))) {
            files.filter(p -> p.toString().endsWith(".md") && !p.equals(REFERENCE)).sorted().forEach(docs::add);
        }
        List<String> problems = new ArrayList<>();
        for (Path doc : docs) {
            try {
                assertNoStaleKeys(doc, read(doc).lines().toList());
            } catch (AssertionError e) {
                problems.add(e.getMessage());
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void everyLatchKeyInApplicationPropertiesExists() {
        Set<String> code = codeProperties().keySet();
        Pattern line = Pattern.compile("^#?\\s*(?:%[a-z-]+\\.)?(latch\\.[a-z0-9.-]+)\\s*=");
        Pattern reference = Pattern.compile("\\$\\{(latch\\.[a-z0-9.-]+)(?::[^}]*)?}");
        List<String> stale = new ArrayList<>();
        int found = 0;
        for (String text : read(PROPERTIES).lines().toList()) {
            Matcher m = line.matcher(text.trim());
            if (m.find()) {
                found++;
                if (!code.contains(m.group(1))) {
                    stale.add(m.group(1) + "  <- " + text.trim());
                }
            }
            Matcher r = reference.matcher(text);
            while (r.find()) {
                found++;
                if (!code.contains(r.group(1))) {
                    stale.add(r.group(1) + "  <- " + text.trim());
                }
            }
        }
        assertTrue(found > 5, "expected latch.* keys in application.properties");
        assertTrue(stale.isEmpty(), "application.properties names keys no @ConfigMapping defines (commented examples included):\n  "
                + String.join("\n  ", stale));
    }

    private static void assertNoStaleKeys(Path doc, List<String> lines) {
        Map<String, Property> code = codeProperties();
        Set<String> stale = new TreeSet<>();
        for (String text : lines) {
            Matcher m = DOC_KEY.matcher(text);
            while (m.find()) {
                String key = m.group(1);
                if (NOT_CONFIGURATION.contains(key)) {
                    continue;
                }
                boolean group = m.group(2) != null;
                boolean exists = group ? code.keySet().stream().anyMatch(k -> k.startsWith(key + "."))
                        : code.containsKey(key) || code.keySet().stream().anyMatch(k -> k.startsWith(key + "."));
                if (!exists) {
                    stale.add(key + (group ? ".*" : ""));
                }
            }
        }
        assertTrue(stale.isEmpty(), doc + " names latch.* keys that no @ConfigMapping defines: " + stale);
    }

    // --- reading the reference ----------------------------------------------------------------

    /** A table row whose first cell is one backticked {@code latch.*} key, with its cells by header name. */
    record Row(String key, Map<String, String> cells) {
        Optional<String> cell(String header) {
            return Optional.ofNullable(cells.get(header));
        }
    }

    private static Map<String, Row> referenceRows() {
        Map<String, Row> rows = new TreeMap<>();
        List<String> header = null;
        for (String line : read(REFERENCE).lines().toList()) {
            if (!line.startsWith("|")) {
                header = null;
                continue;
            }
            List<String> cells = cells(line);
            if (header == null) {
                header = cells.stream().map(c -> c.toLowerCase(Locale.ROOT)).toList();
                continue;
            }
            if (cells.stream().allMatch(c -> c.matches(":?-+:?"))) {
                continue;
            }
            Matcher key = Pattern.compile("^`(latch\\.[a-z0-9.-]+)`$").matcher(cells.get(0));
            if (key.matches()) {
                Map<String, String> named = new LinkedHashMap<>();
                for (int i = 0; i < Math.min(header.size(), cells.size()); i++) {
                    named.put(header.get(i), cells.get(i));
                }
                Row previous = rows.put(key.group(1), new Row(key.group(1), named));
                if (previous != null) {
                    fail("docs/configuration.md has two rows for " + key.group(1));
                }
            }
        }
        return rows;
    }

    private static List<String> tableLines(String markdown) {
        return markdown.lines().filter(l -> l.startsWith("|")).toList();
    }

    private static List<String> cells(String line) {
        String inner = line.trim();
        inner = inner.substring(1, inner.endsWith("|") ? inner.length() - 1 : inner.length());
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean code = false;
        for (int i = 0; i < inner.length(); i++) {
            char c = inner.charAt(i);
            if (c == '`') {
                code = !code;
            }
            if (c == '\\' && i + 1 < inner.length() && inner.charAt(i + 1) == '|') {
                cell.append('|');
                i++;
            } else if (c == '|' && !code) {
                cells.add(cell.toString().trim());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString().trim());
        return cells;
    }

    // --- deriving keys from @ConfigMapping interfaces -----------------------------------------

    private static volatile Map<String, Property> derived;

    static Map<String, Property> codeProperties() {
        Map<String, Property> result = derived;
        if (result == null) {
            result = new TreeMap<>();
            for (Class<?> mapping : mappings()) {
                collect(mapping, mapping.getAnnotation(ConfigMapping.class).prefix(), mapping, result);
            }
            derived = result;
        }
        return result;
    }

    private static List<Class<?>> mappings() {
        Path classes;
        try {
            classes = Path.of(dev.latch.web.PortalConfig.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        List<Class<?>> found = new ArrayList<>();
        ClassLoader loader = ConfigurationReferenceTest.class.getClassLoader();
        try (Stream<Path> files = Files.walk(classes.resolve("dev/latch"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
                String name = classes.relativize(file).toString().replace(".class", "").replace('/', '.').replace('\\', '.');
                if (name.contains("$")) {
                    continue; // nested groups are reached from their mapping
                }
                try {
                    Class<?> type = Class.forName(name, false, loader);
                    if (type.isInterface() && type.isAnnotationPresent(ConfigMapping.class)) {
                        found.add(type);
                    }
                } catch (LinkageError | ClassNotFoundException e) {
                    // a class that needs a provided-scope library; the source scan catches a lost mapping
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    private static void collect(Class<?> type, String prefix, Class<?> owner, Map<String, Property> into) {
        List<Class<?>> types = new ArrayList<>();
        types.add(type);
        types.addAll(List.of(type.getInterfaces())); // inherited properties
        for (Class<?> t : types) {
            for (Method method : t.getDeclaredMethods()) {
                if (method.isDefault() || Modifier.isStatic(method.getModifiers()) || method.getParameterCount() > 0
                        || method.isSynthetic()) {
                    continue;
                }
                String name = method.isAnnotationPresent(WithParentName.class) ? null
                        : method.isAnnotationPresent(WithName.class) ? method.getAnnotation(WithName.class).value()
                        : kebab(method.getName());
                String key = name == null ? prefix : prefix + "." + name;
                Type generic = method.getGenericReturnType();
                boolean optional = false;
                Class<?> raw = method.getReturnType();
                if (raw == Optional.class) {
                    optional = true;
                    generic = ((ParameterizedType) generic).getActualTypeArguments()[0];
                    raw = rawOf(generic);
                }
                if (raw == java.util.OptionalInt.class || raw == java.util.OptionalLong.class || raw == java.util.OptionalDouble.class) {
                    optional = true;
                }
                if (Map.class.isAssignableFrom(raw)) {
                    Type value = ((ParameterizedType) generic).getActualTypeArguments()[1];
                    if (isGroup(rawOf(value))) {
                        collect(rawOf(value), key + ".*", owner, into);
                    } else {
                        put(into, new Property(key + ".*", owner, describe(generic), true, null));
                    }
                    continue;
                }
                if (Collection.class.isAssignableFrom(raw) && isGroup(rawOf(((ParameterizedType) generic).getActualTypeArguments()[0]))) {
                    collect(rawOf(((ParameterizedType) generic).getActualTypeArguments()[0]), key + "[*]", owner, into);
                    continue;
                }
                if (isGroup(raw)) {
                    collect(raw, key, owner, into);
                    continue;
                }
                String defaultValue = method.isAnnotationPresent(WithDefault.class) ? method.getAnnotation(WithDefault.class).value() : null;
                put(into, new Property(key, owner, describe(generic), optional, defaultValue));
            }
        }
    }

    private static void put(Map<String, Property> into, Property property) {
        Property previous = into.put(property.key(), property);
        if (previous != null && previous.owner() != property.owner()) {
            fail(property.key() + " is defined by both " + previous.owner().getName() + " and " + property.owner().getName());
        }
    }

    /** A nested group: an interface of our own, not a value type. */
    private static boolean isGroup(Class<?> type) {
        return type.isInterface() && type.getName().startsWith("dev.latch.");
    }

    private static Class<?> rawOf(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        return Object.class;
    }

    private static String describe(Type type) {
        return type.getTypeName().replaceAll("[a-z]+\\.", "");
    }

    /** SmallRye's kebab case: {@code userCodeAttemptsPerMinute} → {@code user-code-attempts-per-minute}, {@code rpId} → {@code rp-id}. */
    static String kebab(String name) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c)) {
                boolean afterLower = i > 0 && !Character.isUpperCase(name.charAt(i - 1));
                boolean endsAcronym = i > 0 && i + 1 < name.length() && Character.isUpperCase(name.charAt(i - 1))
                        && Character.isLowerCase(name.charAt(i + 1));
                if (afterLower || endsAcronym) {
                    out.append('-');
                }
                out.append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
