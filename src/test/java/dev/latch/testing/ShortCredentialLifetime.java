package dev.latch.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Token answers that live 60 s, exactly the helper's cache margin: the helper never serves one from
 * its cache, so the next kubectl call after a revocation mints and shows it, without a test waiting
 * on the wall clock for the cache to run out (the cache itself is tested in KubeTokenCommandTest).
 */
public class ShortCredentialLifetime implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("latch.broker.kube-credential-lifetime", "60s");
    }
}
