package dev.latch.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The inventory file's format and every kind of mistake in it, each named by file, line and field. */
class InventoryFileParserTest {

    static final String VALID = """
            accounts:
              - id: "111122223333"
                name: staging
                environment: staging
                region: eu-west-1
                levels:
                  - name: view
                    role: arn:aws:iam::111122223333:role/LatchView
                clusters:
                  - name: staging-main
                    endpoint: https://ABC.gr7.eu-west-1.eks.amazonaws.com
                    caBundle: LS0tLS1CRUdJTg==
                    levels:
                      - name: edit
                        role: arn:aws:iam::111122223333:role/LatchEdit
                        eksAccessPolicy: arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy
                        scope: namespace
                        namespaces: [payments, orders]
            groups:
              - name: dev-team
              - name: prod-approvers
                description: People who approve production access
            entitlements:
              - group: dev-team
                target: staging-main
                level: edit
                mode: standing
              - group: dev-team
                target: staging
                level: view
                mode: requestable
                maxDuration: 4h
                approvals:
                  - manager: true
                  - group: prod-approvers
                    count: 2
            """;

    private static InventoryFileParser.Result parse(String yaml) {
        return InventoryFileParser.parse("inventory.yaml", new StringReader(yaml));
    }

    @Test
    void aValidFileGivesTheWholeModel() {
        InventoryFileParser.Result result = parse(VALID);
        assertTrue(result.ok(), result.errors().toString());
        InventoryDocument document = result.document();
        InventoryDocument.ClusterSpec cluster = document.accounts().get(0).clusters().get(0);
        assertEquals("staging-main", cluster.context());
        assertEquals("eu-west-1", cluster.region());
        assertEquals(List.of("payments", "orders"), cluster.levels().get(0).namespaces());
        InventoryDocument.EntitlementSpec requestable = document.entitlements().get(1);
        assertEquals(Duration.ofHours(4), requestable.maxDuration());
        assertEquals(2, requestable.approvals().size());
        assertEquals(2, requestable.approvals().get(1).count());
        assertEquals(Duration.ofDays(7), document.entitlements().get(0).maxDuration());
    }

    @Test
    void aLevelIsMarkedForBreakGlassWithTrueOrFalseOnly() {
        String marked = VALID.replace("scope: namespace\n", "scope: namespace\n            breakGlass: true\n");
        InventoryFileParser.Result result = parse(marked);
        assertTrue(result.ok(), result.errors().toString());
        assertTrue(result.document().accounts().get(0).clusters().get(0).levels().get(0).breakGlass());
        assertEquals(false, result.document().accounts().get(0).levels().get(0).breakGlass(), "not marked: no break-glass");
        assertHas(parse(marked.replace("breakGlass: true", "breakGlass: sometimes")).errors(),
                "inventory.yaml:18: accounts[0].clusters[0].levels[0].breakGlass: must be true or false");
    }

    @Test
    void everyMistakeIsReportedWithFileLineAndField() {
        String broken = VALID
                .replace("id: \"111122223333\"", "id: \"1111\"")
                .replace("region: eu-west-1", "region: Europe")
                .replace("endpoint: https://ABC", "endpoint: http://ABC")
                .replace("role: arn:aws:iam::111122223333:role/LatchView", "role: LatchView")
                .replace("mode: standing", "mode: always")
                .replace("maxDuration: 4h", "maxDuration: four hours")
                .replace("count: 2", "count: 99")
                .replace("- name: dev-team", "- name: dev-team\n    colour: blue");
        InventoryFileParser.Result result = parse(broken);
        assertNull(result.document());
        List<String> errors = result.errors();
        assertHas(errors, "inventory.yaml:2: accounts[0].id: must be 12 digits");
        assertHas(errors, "inventory.yaml:5: accounts[0].region: must be an AWS region");
        assertHas(errors, "inventory.yaml:8: accounts[0].levels[0].role: must be an IAM role ARN");
        assertHas(errors, "inventory.yaml:11: accounts[0].clusters[0].endpoint: must be an https:// URL");
        assertHas(errors, "groups[0].colour: unknown field");
        assertHas(errors, "entitlements[0].mode: must be standing or requestable");
        assertHas(errors, "entitlements[1].maxDuration: must look like 30m, 4h or 7d");
        assertHas(errors, "entitlements[1].approvals[1].count: must be a number from 1 to 10");
    }

    @Test
    void referencesAndDuplicatesAreChecked() {
        String broken = VALID.replace("target: staging-main", "target: prod-main").replace("- group: dev-team\n    target: staging\n",
                "- group: nobody\n    target: staging\n");
        List<String> errors = parse(broken).errors();
        assertHas(errors, "target prod-main is neither a cluster context nor an account name in this file");
        assertHas(errors, "group nobody is not declared under groups");
        String duplicated = VALID.replace("groups:", """
                  - id: "111122223333"
                    name: staging2
                    environment: staging
                    region: eu-west-1
                groups:""");
        assertHas(parse(duplicated).errors(), "the account id 111122223333 appears twice");
    }

    @Test
    void requestableNeedsApproversAndNamespaceScopeNeedsNamespaces() {
        String broken = VALID.replace("""
                    approvals:
                      - manager: true
                      - group: prod-approvers
                        count: 2
                """, "").replace("namespaces: [payments, orders]", "kubernetesGroups: [devs]");
        List<String> errors = parse(broken).errors();
        assertHas(errors, "a requestable entitlement needs at least one approval step");
        assertHas(errors, "a namespace scope needs at least one namespace");
    }

    @Test
    void brokenYamlAndEmptyFiles() {
        assertHas(parse("accounts:\n  - id: [unclosed\n").errors(), "inventory.yaml:");
        assertTrue(parse("").ok());
        assertHas(parse("accounts: 3\n").errors(), "inventory.yaml:1: accounts: expected a list");
    }

    private static void assertHas(List<String> errors, String fragment) {
        assertTrue(errors.stream().anyMatch(e -> e.contains(fragment)), "no error containing \"" + fragment + "\" in " + errors);
    }
}
