package dev.latch.webauthn;

import dev.latch.testing.SoftwareAuthenticator;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With {@code latch.webauthn.allow-synced-passkeys=true} a backup-eligible (synced) passkey registers. */
@QuarkusTest
@TestProfile(SyncedPasskeysAllowedTest.SyncedAllowed.class)
class SyncedPasskeysAllowedTest {

    public static class SyncedAllowed implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("latch.webauthn.allow-synced-passkeys", "true");
        }
    }

    @Test
    void aSyncedPasskeyRegistersWhenAllowed() {
        ProductionKeyRulesTest.enrolWith(new SoftwareAuthenticator().backupEligible(true)).then().statusCode(200);
    }
}
