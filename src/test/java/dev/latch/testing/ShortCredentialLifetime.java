package dev.latch.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * kubectl comes back to the helper after 61 s, and the helper's cache keeps 60 s of margin, so a
 * revocation shows within a test's seconds rather than after the default 5 minutes.
 */
public class ShortCredentialLifetime implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("latch.broker.kube-credential-lifetime", "61s");
    }
}
