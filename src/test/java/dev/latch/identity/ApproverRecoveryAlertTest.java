package dev.latch.identity;

import static dev.latch.testing.Browserless.as;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.latch.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With {@code latch.recovery.approver-recovery=alert} an approver's recovery link is issued at once, and everyone is told. */
@QuarkusTest
@TestProfile(ApproverRecoveryAlertTest.Alert.class)
class ApproverRecoveryAlertTest {

    public static class Alert implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("latch.recovery.approver-recovery", "alert");
        }
    }

    @Inject
    Fixtures fixtures;

    @Inject
    jakarta.persistence.EntityManager em;

    @Test
    void theLinkIsIssuedAndEveryAdministratorAndThePersonAreToldAtOnce() {
        User admin = fixtures.user("al-admin", true);
        User other = fixtures.user("al-other", true);
        User approver = AdminTwoPersonRuleTest.approver(fixtures);
        as(fixtures.session(admin)).post("/admin/users/" + approver.id + "/key-link").then().statusCode(200)
                .body(containsString("Key enrolment link for " + approver.username));
        assertNotNull(AdminTwoPersonRuleTest.audit("key_recovery.issued", approver.id));
        for (String to : new String[] {admin.email, other.email, approver.email}) {
            assertEquals(1L, AdminTwoPersonRuleTest.outbox(em, "key_recovery.issued:%", to), to);
        }
    }
}
