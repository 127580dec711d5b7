package dev.latch.identity;

import java.util.Optional;
import java.util.UUID;

/**
 * Names what a step-up page confirms, from the page the browser returns to after the touch. Each
 * feature that sends people to {@code /step-up} describes its own return paths from server state
 * (the level in the database, never a text from the query string), so the page can say "Download
 * the kubeconfig for prod-main (admin)" and a crafted link can at most get the generic line.
 */
public interface StepUpPurpose {

    /**
     * The action, as an imperative sentence without a full stop, when {@code path} is one of this
     * feature's; else empty. {@code query} reads one query parameter of the return path.
     */
    Optional<String> describe(String path, Query query);

    /** The return path's query parameters. */
    interface Query {
        String get(String name);

        /** The parameter as an id, or null when absent or not an id. */
        default UUID id(String name) {
            String value = get(name);
            try {
                return value == null ? null : UUID.fromString(value);
            } catch (IllegalArgumentException notAnId) {
                return null;
            }
        }
    }
}
