package dev.latch.webauthn;

import static dev.latch.testing.Browserless.anonymous;
import static dev.latch.testing.Browserless.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latch.access.AccessRequest;
import dev.latch.identity.Group;
import dev.latch.identity.Invitations;
import dev.latch.identity.User;
import dev.latch.inventory.AccessLevel;
import dev.latch.inventory.InventoryFixtures;
import dev.latch.testing.Fixtures;
import dev.latch.testing.KeyHolder;
import dev.latch.testing.SoftwareAuthenticator;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The production key rules (issue 13, item 4): a found key without its PIN or biometric cannot
 * sign in, step up or approve, and synced passkeys are refused at registration. The test profile
 * sets nothing under {@code latch.webauthn}, so these are the shipped defaults (checked first).
 */
@QuarkusTest
class ProductionKeyRulesTest {

    @Inject
    Invitations invitations;

    @Inject
    WebAuthnConfig config;

    @Test
    void theTestsRunWithTheProductionDefaults() {
        assertEquals("required", config.userVerification());
        assertFalse(config.allowSyncedPasskeys());
    }

    @Test
    void aKeyWithoutUserVerificationCannotSignInStepUpOrDecide() {
        String s = UUID.randomUUID().toString().substring(0, 6);
        Group engineers = InventoryFixtures.group("uv-eng-" + s);
        AccessLevel level = InventoryFixtures.level(InventoryFixtures.cluster("prod", "uv-prod-" + s), "admin");
        InventoryFixtures.entitle(engineers, level, "requestable");
        KeyHolder engineer = KeyHolder.enrol(invitations, "uv-eng");
        KeyHolder manager = KeyHolder.enrol(invitations, "uv-mgr");
        InventoryFixtures.join(engineer.user(), engineers);
        QuarkusTransaction.requiringNew().run(() -> User.<User>findById(engineer.user().id).managerId = manager.user().id);
        manager.key().userVerified(false);

        JsonNode signIn = anonymous().contentType(ContentType.JSON).body("{}").post("/signin/start").then().statusCode(200)
                .body("publicKey.userVerification", equalTo("required")).extract().as(JsonNode.class);
        anonymous().contentType(ContentType.JSON)
                .body("{\"ceremonyId\":\"" + signIn.path("ceremonyId").asText() + "\",\"credential\":"
                        + manager.key().assertion(signIn.path("publicKey")) + "}")
                .post("/signin/finish").then().statusCode(400).body("detail", containsString("User Verification"));

        manager.touchLongAgo().ceremony("/step-up", "{}").then().statusCode(400).body("detail", containsString("User Verification"));

        Response filed = as(engineer.session()).contentType(ContentType.URLENC).accept(ContentType.JSON)
                .formParam("level", level.id.toString()).formParam("duration", "1h").formParam("reason", "INC-4 found key")
                .post("/requests");
        filed.then().statusCode(303);
        UUID request = UUID.fromString(filed.header("Location").substring(filed.header("Location").lastIndexOf('/') + 1));
        JsonNode decision = as(manager.session()).contentType(ContentType.JSON).accept(ContentType.JSON)
                .body(Map.of("decision", "approve")).post("/requests/" + request + "/decision/start")
                .then().statusCode(200).body("publicKey.userVerification", equalTo("required")).extract().as(JsonNode.class);
        as(manager.session()).contentType(ContentType.JSON).accept(ContentType.JSON)
                .body("{\"ceremonyId\":\"" + decision.path("ceremonyId").asText() + "\",\"credential\":"
                        + manager.key().assertion(decision.path("publicKey")) + "}")
                .post("/requests/" + request + "/decision/finish").then().statusCode(400)
                .body("detail", containsString("User Verification"));
        assertEquals(AccessRequest.PENDING, QuarkusTransaction.requiringNew().call(() -> AccessRequest.<AccessRequest>findById(request).status));

        manager.key().userVerified(true);
        manager.ceremony("/step-up", "{}").then().statusCode(200);
    }

    @Test
    void aSyncedPasskeyIsRefusedAtRegistrationWithAClearMessage() {
        Response refused = enrolWith(new SoftwareAuthenticator().backupEligible(true));
        refused.then().statusCode(400).body("detail", containsString("synced passkey"));
        enrolWith(new SoftwareAuthenticator()).then().statusCode(200);
    }

    static Response enrolWith(SoftwareAuthenticator key) {
        return enrolWith(key, Fixtures.username("synced"));
    }

    static Response enrolWith(SoftwareAuthenticator key, String username) {
        Invitations invitations = io.quarkus.arc.Arc.container().instance(Invitations.class).get();
        String url = invitations.invite(new Invitations.Request(username, null, null, false), null).url();
        String token = url.substring(url.lastIndexOf('/') + 1);
        JsonNode started = anonymous().contentType(ContentType.JSON).body("{}").post("/enrol/" + token + "/start").then()
                .statusCode(200).extract().as(JsonNode.class);
        return anonymous().contentType(ContentType.JSON)
                .body("{\"ceremonyId\":\"" + started.path("ceremonyId").asText() + "\",\"credential\":"
                        + key.register(started.path("publicKey")) + "}")
                .post("/enrol/finish");
    }
}
