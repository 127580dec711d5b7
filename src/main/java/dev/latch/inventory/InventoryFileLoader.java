package dev.latch.inventory;

import dev.latch.web.ProblemException;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/** Reads the configured inventory file and hands it to {@link InventorySync}: at start, and on demand. */
@ApplicationScoped
public class InventoryFileLoader {

    private static final Logger LOG = Logger.getLogger(InventoryFileLoader.class);

    private final InventoryConfig config;
    private final InventorySync sync;

    public InventoryFileLoader(InventoryConfig config, InventorySync sync) {
        this.config = config;
        this.sync = sync;
    }

    void onStart(@Observes StartupEvent start) {
        if (config.file().isEmpty() || !config.applyAtStart()) {
            return;
        }
        try {
            InventorySync.Plan plan = apply("startup");
            LOG.infof("Inventory file %s applied: %d change(s)", config.file().get(), plan.changes().size());
        } catch (ProblemException refused) {
            // a typo in the file must not take the portal down: keep the last good state and say why
            LOG.errorf("Inventory file %s not applied: %s", config.file().get(), refused.detail());
        }
    }

    public boolean configured() {
        return config.file().isPresent();
    }

    public String path() {
        return config.file().map(Path::toString).orElse(null);
    }

    /** The parse result of the file as it is now. */
    public InventoryFileParser.Result read() {
        Path file = config.file().orElseThrow(() -> ProblemException.badRequest("no-inventory-file",
                "No inventory file is configured (latch.inventory.file)."));
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return InventoryFileParser.parse(file.getFileName().toString(), reader);
        } catch (IOException e) {
            throw ProblemException.badRequest("inventory-unreadable", "The inventory file " + file + " cannot be read: " + e.getMessage());
        }
    }

    public InventorySync.Plan dryRun() {
        return sync.plan(valid(read()));
    }

    public InventorySync.Plan apply(String actor) {
        return sync.apply(valid(read()), actor);
    }

    private static InventoryDocument valid(InventoryFileParser.Result result) {
        if (!result.ok()) {
            throw new ProblemException(400, "inventory-invalid", "Inventory file has errors", String.join("\n", result.errors()));
        }
        return result.document();
    }
}
