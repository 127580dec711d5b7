package dev.latch.inventory;

import static dev.latch.testing.Browserless.as;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.testing.Fixtures;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The inventory file against the database: dry run, apply, updates, deletions, conflicts, ownership. */
@QuarkusTest
@TestProfile(InventorySyncTest.WithFile.class)
class InventorySyncTest {

    static final String FILE_PROPERTY = "latch.test.inventory-file";

    public static class WithFile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                String existing = System.getProperty(FILE_PROPERTY);
                Path file = existing != null ? Path.of(existing)
                        : Files.createTempFile(Path.of(System.getProperty("java.io.tmpdir")), "inventory-", ".yaml");
                System.setProperty(FILE_PROPERTY, file.toString());
                return Map.of("latch.inventory.file", file.toString(), "latch.inventory.apply-at-start", "false");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Inject
    InventoryFileLoader loader;

    @Inject
    Fixtures fixtures;

    @Test
    void dryRunShowsTheChangesApplyMakesThemAndTheFileOwnsThem() throws Exception {
        write(InventoryFileParserTest.VALID.replace("111122223333", "999900001111").replace("staging-main", "filed-main")
                .replace("name: staging\n", "name: filed\n").replace("target: staging\n", "target: filed\n")
                .replace("dev-team", "file-devs").replace("prod-approvers", "file-approvers"));
        InventorySync.Plan plan = loader.dryRun();
        assertTrue(plan.changes().contains(new InventorySync.Change("add", "cluster", "filed-main")), plan.toString());
        assertEquals(0L, (long) QuarkusTransaction.requiringNew().call(() -> Cluster.count("contextName", "filed-main")),
                "a dry run changes nothing");

        String admin = fixtures.session(fixtures.user("admin", true));
        as(admin).post("/admin/inventory/apply").then().statusCode(200).body(containsString("Applied"))
                .body(containsString("filed-main"));
        Cluster cluster = QuarkusTransaction.requiringNew().call(() -> Cluster.<Cluster>find("contextName", "filed-main").firstResult());
        assertEquals("file", cluster.source);
        assertEquals(0, loader.dryRun().changes().size(), "applying twice changes nothing");

        // the UI cannot change what the file owns
        Entitlement owned = QuarkusTransaction.requiringNew().call(() -> Entitlement.<Entitlement>find("source", "file").firstResult());
        as(admin).post("/admin/access/entitlements/" + owned.id + "/delete").then().statusCode(409);

        // edit the file: a new role for a level
        write(InventoryFileParserTest.VALID.replace("111122223333", "999900001111").replace("staging-main", "filed-main")
                .replace("name: staging\n", "name: filed\n").replace("target: staging\n", "target: filed\n")
                .replace("dev-team", "file-devs").replace("prod-approvers", "file-approvers")
                .replace("role/LatchView", "role/LatchReadOnly"));
        InventorySync.Plan update = loader.apply("test");
        assertEquals(1, update.changes().size(), update.toString());
        assertEquals("update", update.changes().get(0).action());
        assertTrue(QuarkusTransaction.requiringNew().call(() -> AccessLevel.<AccessLevel>find("roleArn like ?1", "%LatchReadOnly").count() == 1));
    }

    @Test
    void anObjectAlreadyManagedElsewhereIsAConflictAndNothingIsApplied() throws Exception {
        Cluster ui = InventoryFixtures.cluster("uienv", "ui-made-main");
        write(InventoryFileParserTest.VALID.replace("111122223333", "999900002222").replace("staging-main", "ui-made-main")
                .replace("name: staging\n", "name: conflicted\n").replace("target: staging\n", "target: conflicted\n")
                .replace("dev-team", "conflict-devs").replace("prod-approvers", "conflict-approvers"));
        String admin = fixtures.session(fixtures.user("admin", true));
        as(admin).post("/admin/inventory/apply").then().statusCode(200).body(containsString("Conflicts; nothing was applied"))
                .body(containsString("cluster ui-made-main already exists (ui)"));
        assertEquals(0L, (long) QuarkusTransaction.requiringNew().call(() -> AwsAccount.count("accountId", "999900002222")));
        assertEquals("ui", QuarkusTransaction.requiringNew().call(() -> Cluster.<Cluster>findById(ui.id).source));
    }

    @Test
    void aFileWithErrorsIsShownAndNotApplied() throws Exception {
        write("accounts:\n  - id: \"12\"\n    name: x\n");
        String admin = fixtures.session(fixtures.user("admin", true));
        as(admin).post("/admin/inventory/dry-run").then().statusCode(200).body(containsString("The file has errors"))
                .body(containsString("inventory-"));
    }

    private static void write(String yaml) throws IOException {
        Files.writeString(Path.of(System.getProperty(FILE_PROPERTY)), yaml);
    }
}
