package dev.latch.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The AWS set-up as code (deploy/aws): cfn-lint must accept every template, and the parsed
 * templates must say what docs/aws.md says: level roles trust only the portal, only with a
 * SourceIdentity and the latch:user tag, for at most an hour; the portal may assume them with
 * SourceIdentity and tags; no account id or partition is hard-coded. Plain JUnit, no Quarkus.
 */
class CloudFormationTemplatesTest {

    private static final Path DIR = Path.of("deploy", "aws");
    private static final List<String> LEVEL_ACTIONS = List.of("sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity");

    // cfn-lint ------------------------------------------------------------------------------------

    @Test
    void cfnLintReportsNothingForAnyTemplate() throws Exception {
        List<Path> templates = templates();
        assertEquals(Set.of("eks-access-entries.yaml", "portal-role.yaml", "target-account-roles.yaml"),
                templates.stream().map(p -> p.getFileName().toString()).collect(Collectors.toSet()));
        List<String> command = new ArrayList<>(List.of("cfn-lint", "--"));
        templates.forEach(t -> command.add(t.toString()));
        Process lint;
        try {
            lint = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            fail("cfn-lint is not installed or not on PATH (" + e.getMessage() + "). CI must install it: pip install cfn-lint. "
                    + "It validates deploy/aws/*.yaml against the CloudFormation resource schemas.");
            return;
        }
        lint.getOutputStream().close(); // templates come from the arguments, never from stdin
        String output = new String(lint.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(lint.waitFor(5, TimeUnit.MINUTES), "cfn-lint did not finish");
        assertEquals(0, lint.exitValue(), "cfn-lint " + String.join(" ", command.subList(2, command.size())) + " reported:\n" + output);
        assertEquals("", output.strip(), "cfn-lint printed:\n" + output);
    }

    // Level roles ---------------------------------------------------------------------------------

    @Test
    void everyLevelRoleTrustsOnlyThePortalWithASourceIdentityAndTheUserTag() throws IOException {
        Map<String, Map<String, Object>> roles = resources(load("target-account-roles.yaml"), "AWS::IAM::Role");
        Map<String, Map<String, Object>> levels = new LinkedHashMap<>();
        roles.forEach((name, role) -> {
            String kind = tag(role, "latch:role-kind");
            assertNotNull(kind, name + " has no latch:role-kind tag");
            if ("level".equals(kind)) {
                levels.put(name, role);
            }
        });
        // read-only, admin and view/edit/admin for three cluster slots
        assertEquals(11, levels.size(), levels.keySet().toString());
        levels.forEach((name, role) -> {
            Map<String, Object> properties = map(role.get("Properties"));
            List<Object> statements = list(map(properties.get("AssumeRolePolicyDocument")).get("Statement"));
            assertEquals(1, statements.size(), name + ": one trust statement");
            Map<String, Object> statement = map(statements.get(0));
            assertEquals("Allow", statement.get("Effect"), name);
            assertEquals(Map.of("AWS", Map.of("Ref", "PortalRoleArn")), statement.get("Principal"), name + ": only the portal's role");
            assertEquals(new TreeSet<>(LEVEL_ACTIONS), new TreeSet<>(strings(statement.get("Action"))), name + ": trust actions");
            Map<String, Object> conditions = map(statement.get("Condition"));
            assertEquals(Set.of("Null"), conditions.keySet(), name + ": conditions");
            assertEquals(Map.of("sts:SourceIdentity", "false", "aws:RequestTag/latch:user", "false"), conditions.get("Null"),
                    name + ": SourceIdentity and the latch:user tag are required");
            assertEquals(3600, properties.get("MaxSessionDuration"), name + ": MaxSessionDuration");
            Object roleName = properties.get("RoleName");
            assertTrue(sub(roleName).startsWith("${LevelRolePrefix}-"), name + ": named <prefix>-… so the portal may assume it: " + roleName);
        });
    }

    @Test
    void clusterRolesHaveNoAwsPermissionsBeyondDescribeCluster() throws IOException {
        Map<String, Map<String, Object>> roles = resources(load("target-account-roles.yaml"), "AWS::IAM::Role");
        int clusterRoles = 0;
        for (var entry : roles.entrySet()) {
            Map<String, Object> properties = map(entry.getValue().get("Properties"));
            if (tag(entry.getValue(), "latch:cluster") == null) {
                continue;
            }
            clusterRoles++;
            assertFalse(properties.containsKey("ManagedPolicyArns"), entry.getKey());
            List<Object> policies = list(properties.get("Policies"));
            assertEquals(1, policies.size(), entry.getKey());
            for (Object statement : list(map(map(policies.get(0)).get("PolicyDocument")).get("Statement"))) {
                assertEquals(List.of("eks:DescribeCluster"), strings(map(statement).get("Action")), entry.getKey());
            }
            String level = tag(entry.getValue(), "latch:level");
            assertTrue(sub(properties.get("RoleName")).matches("\\$\\{LevelRolePrefix}-\\$\\{ClusterName[1-3]}-" + level),
                    entry.getKey() + ": " + properties.get("RoleName"));
        }
        assertEquals(9, clusterRoles);
    }

    @Test
    void theDiscoveryRoleIsOnlyForDiscoverySessions() throws IOException {
        Map<String, Object> role = resources(load("target-account-roles.yaml"), "AWS::IAM::Role").get("DiscoveryRole");
        Map<String, Object> properties = map(role.get("Properties"));
        Map<String, Object> statement = map(list(map(properties.get("AssumeRolePolicyDocument")).get("Statement")).get(0));
        assertEquals(Map.of("AWS", Map.of("Ref", "PortalRoleArn")), statement.get("Principal"));
        // AwsDiscovery sets SourceIdentity "latch-discovery" and no tags
        assertEquals(Set.of("sts:AssumeRole", "sts:SetSourceIdentity"), new TreeSet<>(strings(statement.get("Action"))));
        assertEquals(Map.of("StringEquals", Map.of("sts:SourceIdentity", "latch-discovery")), statement.get("Condition"));
        assertEquals(3600, properties.get("MaxSessionDuration"));
    }

    @Test
    void everyRoleInEveryTemplateLastsAtMostAnHour() throws IOException {
        for (Path template : templates()) {
            resources(load(template.getFileName().toString()), "AWS::IAM::Role").forEach((name, role) ->
                    assertEquals(3600, map(role.get("Properties")).get("MaxSessionDuration"), template + " " + name));
        }
    }

    // The portal's role ---------------------------------------------------------------------------

    @Test
    void thePortalMayAssumeLevelRolesWithASourceIdentityAndTags() throws IOException {
        Map<String, Object> role = resources(load("portal-role.yaml"), "AWS::IAM::Role").get("PortalRole");
        Map<String, Object> properties = map(role.get("Properties"));
        Map<String, Object> statement = null;
        for (Object policy : list(properties.get("Policies"))) {
            for (Object s : list(map(map(policy).get("PolicyDocument")).get("Statement"))) {
                if ("AssumeLatchLevelRoles".equals(map(s).get("Sid"))) {
                    statement = map(s);
                }
            }
        }
        assertNotNull(statement, "the AssumeLatchLevelRoles statement");
        assertEquals("Allow", statement.get("Effect"));
        assertEquals(new TreeSet<>(LEVEL_ACTIONS), new TreeSet<>(strings(statement.get("Action"))));
        assertEquals("arn:${AWS::Partition}:iam::*:role/${LevelRolePrefix}-*", sub(statement.get("Resource")));
        assertFalse(statement.containsKey("Condition"));
    }

    @Test
    void thePortalTrustPolicyIsValidJsonForPodIdentityIrsaAndBoth() throws IOException {
        Map<String, Object> template = load("portal-role.yaml");
        String oidc = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC";
        JsonNode pod = portalTrust(template, Map.of("EnablePodIdentity", "true", "OidcProviderArn", ""));
        JsonNode irsa = portalTrust(template, Map.of("EnablePodIdentity", "false", "OidcProviderArn", oidc));
        JsonNode both = portalTrust(template, Map.of("EnablePodIdentity", "true", "OidcProviderArn", oidc));

        assertEquals(1, pod.get("Statement").size());
        JsonNode podStatement = pod.get("Statement").get(0);
        assertEquals("pods.eks.amazonaws.com", podStatement.at("/Principal/Service").asText());
        assertEquals(List.of("sts:AssumeRole", "sts:TagSession"), texts(podStatement.get("Action")));

        assertEquals(1, irsa.get("Statement").size());
        JsonNode irsaStatement = irsa.get("Statement").get(0);
        assertEquals(oidc, irsaStatement.at("/Principal/Federated").asText());
        assertEquals("sts:AssumeRoleWithWebIdentity", irsaStatement.get("Action").asText());
        JsonNode equals = irsaStatement.at("/Condition/StringEquals");
        assertEquals("system:serviceaccount:latch:latch", equals.get("oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub").asText());
        assertEquals("sts.amazonaws.com", equals.get("oidc.eks.eu-west-1.amazonaws.com/id/ABC:aud").asText());

        assertEquals(List.of(podStatement, irsaStatement), List.of(both.get("Statement").get(0), both.get("Statement").get(1)));
        assertEquals(2, both.get("Statement").size());
    }

    // Access entries ------------------------------------------------------------------------------

    @Test
    void accessEntriesMapTheClusterLevelRolesToTheirPolicies() throws IOException {
        Map<String, Map<String, Object>> entries = resources(load("eks-access-entries.yaml"), "AWS::EKS::AccessEntry");
        assertEquals(Set.of("ViewAccessEntry", "EditAccessEntry", "AdminAccessEntry"), entries.keySet());
        Map<String, String> policies = Map.of("view", "AmazonEKSViewPolicy", "edit", "AmazonEKSEditPolicy", "admin",
                "AmazonEKSClusterAdminPolicy");
        policies.forEach((level, policy) -> {
            String name = Character.toUpperCase(level.charAt(0)) + level.substring(1);
            Map<String, Object> properties = map(entries.get(name + "AccessEntry").get("Properties"));
            assertEquals("STANDARD", properties.get("Type"));
            assertEquals(Map.of("Ref", "ClusterName"), properties.get("ClusterName"));
            assertEquals("arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${LevelRolePrefix}-${Name}-" + level,
                    sub(properties.get("PrincipalArn")));
            List<Object> associated = list(properties.get("AccessPolicies"));
            assertEquals(1, associated.size());
            String arns = String.valueOf(map(associated.get(0)).get("PolicyArn"));
            assertTrue(arns.contains("arn:${AWS::Partition}:eks::aws:cluster-access-policy/" + policy), arns);
            Map<String, Object> scope = map(map(associated.get(0)).get("AccessScope"));
            assertEquals(Map.of("Ref", name + "Scope"), scope.get("Type"));
            assertEquals(Map.of("Fn::If", List.of(name + "InNamespaces", Map.of("Ref", name + "Namespaces"), Map.of("Ref", "AWS::NoValue"))),
                    scope.get("Namespaces"));
        });
    }

    // Every template ------------------------------------------------------------------------------

    @Test
    void noTemplateHardCodesAnAccountIdOrThePartition() throws IOException {
        Pattern accountId = Pattern.compile("(?<![0-9])[0-9]{12}(?![0-9])");
        for (Path template : templates()) {
            String text = Files.readString(template);
            Matcher found = accountId.matcher(text);
            if (found.find()) {
                fail(template + " hard-codes an account id: " + found.group() + " (use a parameter or ${AWS::AccountId})");
            }
            assertFalse(text.contains("arn:aws:"), template + " hard-codes the partition: use arn:${AWS::Partition}:");
            Map<String, Object> parsed = load(template.getFileName().toString());
            assertEquals("2010-09-09", parsed.get("AWSTemplateFormatVersion"), template.toString());
            assertFalse(parsed.containsKey("Transform"), template + ": StackSets with service-managed permissions run no transforms");
        }
    }

    // Helpers -------------------------------------------------------------------------------------

    private static List<Path> templates() throws IOException {
        assertTrue(Files.isDirectory(DIR), "run from the project directory: " + DIR.toAbsolutePath());
        try (Stream<Path> files = Files.list(DIR)) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    private static Map<String, Object> load(String name) throws IOException {
        return map(new Yaml(new CloudFormationConstructor()).load(Files.readString(DIR.resolve(name))));
    }

    private static Map<String, Map<String, Object>> resources(Map<String, Object> template, String type) {
        Map<String, Map<String, Object>> found = new LinkedHashMap<>();
        map(template.get("Resources")).forEach((name, resource) -> {
            if (type.equals(map(resource).get("Type"))) {
                found.put(name, map(resource));
            }
        });
        return found;
    }

    /** A literal tag value of a resource, or null. */
    private static String tag(Map<String, Object> resource, String key) {
        Object tags = map(resource.get("Properties")).get("Tags");
        if (tags == null) {
            return null;
        }
        for (Object tag : list(tags)) {
            if (key.equals(map(tag).get("Key"))) {
                return map(tag).get("Value") instanceof String value ? value : "(computed)";
            }
        }
        return null;
    }

    /** The text of a !Sub (short form, or the long form's first element). */
    private static String sub(Object value) {
        Object sub = map(value).get("Fn::Sub");
        return sub instanceof List<?> parts ? (String) parts.get(0) : (String) sub;
    }

    /** The portal role's trust policy as CloudFormation would render it for these parameters. */
    private static JsonNode portalTrust(Map<String, Object> template, Map<String, String> parameters) throws IOException {
        Map<String, String> refs = new HashMap<>();
        map(template.get("Parameters")).forEach((name, parameter) -> {
            Object fallback = map(parameter).get("Default");
            refs.put(name, parameters.getOrDefault(name, fallback == null ? null : String.valueOf(fallback)));
        });
        refs.put("AWS::Partition", "aws");
        Evaluator evaluator = new Evaluator(map(template.get("Conditions")), refs);
        Object document = map(resources(template, "AWS::IAM::Role").get("PortalRole").get("Properties")).get("AssumeRolePolicyDocument");
        return new ObjectMapper().readTree((String) evaluator.value(document));
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertTrue(value instanceof Map, "expected a mapping, got " + value);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        assertTrue(value instanceof List, "expected a list, got " + value);
        return (List<Object>) value;
    }

    private static List<String> strings(Object value) {
        return value instanceof String single ? List.of(single) : list(value).stream().map(String::valueOf).toList();
    }

    /**
     * Reads CloudFormation's short-form tags (!Ref, !Sub, !GetAtt, !If, !Condition, …) as their
     * long forms ({"Ref": …}, {"Fn::Sub": …}), which is what CloudFormation itself does.
     */
    static final class CloudFormationConstructor extends SafeConstructor {
        CloudFormationConstructor() {
            super(new LoaderOptions());
            yamlMultiConstructors.put("!", new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    String name = node.getTag().getValue().substring(1);
                    Object value;
                    if (node instanceof ScalarNode scalar) {
                        value = constructScalar(scalar);
                    } else if (node instanceof SequenceNode sequence) {
                        value = constructSequence(sequence);
                    } else {
                        value = constructMapping((MappingNode) node);
                    }
                    if (name.equals("GetAtt") && value instanceof String dotted) {
                        value = List.of(dotted.split("\\.", 2));
                    }
                    return Map.of(name.equals("Ref") || name.equals("Condition") ? name : "Fn::" + name, value);
                }
            });
        }
    }

    /** Just enough of CloudFormation's intrinsic functions to render the portal's trust policy. */
    private record Evaluator(Map<String, Object> conditions, Map<String, String> refs) {

        boolean condition(String name) {
            assertTrue(conditions.containsKey(name), "unknown condition " + name);
            return (Boolean) value(conditions.get(name));
        }

        Object value(Object node) {
            if (!(node instanceof Map<?, ?> function)) {
                return node;
            }
            assertEquals(1, function.size(), "one function: " + node);
            var entry = function.entrySet().iterator().next();
            Object argument = entry.getValue();
            switch ((String) entry.getKey()) {
                case "Ref":
                    assertTrue(refs.containsKey((String) argument), "unknown Ref " + argument);
                    return refs.get((String) argument);
                case "Condition":
                    return condition((String) argument);
                case "Fn::Equals":
                    return String.valueOf(value(list(argument).get(0))).equals(String.valueOf(value(list(argument).get(1))));
                case "Fn::Not":
                    return !(Boolean) value(list(argument).get(0));
                case "Fn::And":
                    return list(argument).stream().allMatch(c -> (Boolean) value(c));
                case "Fn::Or":
                    return list(argument).stream().anyMatch(c -> (Boolean) value(c));
                case "Fn::If":
                    return value(list(argument).get(condition((String) list(argument).get(0)) ? 1 : 2));
                case "Fn::Split":
                    return List.of(((String) value(list(argument).get(1))).split(Pattern.quote((String) list(argument).get(0)), -1));
                case "Fn::Select":
                    return list(value(list(argument).get(1))).get(Integer.parseInt(String.valueOf(list(argument).get(0))));
                case "Fn::Sub":
                    String text = argument instanceof String s ? s : (String) list(argument).get(0);
                    Map<String, Object> variables = new HashMap<>();
                    if (argument instanceof List<?>) {
                        map(list(argument).get(1)).forEach((k, v) -> variables.put(k, value(v)));
                    }
                    Matcher m = Pattern.compile("\\$\\{([^}!]+)}").matcher(text);
                    StringBuilder out = new StringBuilder();
                    while (m.find()) {
                        String name = m.group(1);
                        Object replacement = variables.containsKey(name) ? variables.get(name) : refs.get(name);
                        assertNotNull(replacement, "unresolved ${" + name + "} in " + text);
                        m.appendReplacement(out, Matcher.quoteReplacement(String.valueOf(replacement)));
                    }
                    m.appendTail(out);
                    return out.toString();
                default:
                    fail("not evaluated here: " + entry.getKey());
                    return null;
            }
        }
    }
}
