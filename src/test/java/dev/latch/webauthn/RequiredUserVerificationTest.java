package dev.latch.webauthn;

import static dev.latch.testing.Browserless.anonymous;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latch.identity.Invitations;
import dev.latch.testing.Fixtures;
import dev.latch.testing.SoftwareAuthenticator;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With {@code latch.webauthn.user-verification=required}, a key that did not check PIN or biometric is refused. */
@QuarkusTest
@TestProfile(RequiredUserVerificationTest.UvRequired.class)
class RequiredUserVerificationTest {

    public static class UvRequired implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("latch.webauthn.user-verification", "required");
        }
    }

    @Inject
    Invitations invitations;

    @Test
    void anAnswerWithoutUserVerificationIsRefused() {
        String url = invitations.invite(new Invitations.Request(Fixtures.username("uv"), null, null, false), null).url();
        String token = url.substring(url.lastIndexOf('/') + 1);
        JsonNode started = anonymous().contentType(ContentType.JSON).body("{}").post("/enrol/" + token + "/start").then()
                .statusCode(200).body("publicKey.authenticatorSelection.userVerification", equalTo("required"))
                .extract().as(JsonNode.class);
        SoftwareAuthenticator key = new SoftwareAuthenticator().userVerified(false);
        anonymous().contentType(ContentType.JSON)
                .body("{\"ceremonyId\":\"" + started.path("ceremonyId").asText() + "\",\"credential\":"
                        + key.register(started.path("publicKey")) + "}")
                .post("/enrol/finish").then().statusCode(400).body("detail", containsString("User Verification"));

        SoftwareAuthenticator verifying = new SoftwareAuthenticator();
        JsonNode again = anonymous().contentType(ContentType.JSON).body("{}").post("/enrol/" + token + "/start").then()
                .statusCode(200).extract().as(JsonNode.class);
        anonymous().contentType(ContentType.JSON)
                .body("{\"ceremonyId\":\"" + again.path("ceremonyId").asText() + "\",\"credential\":"
                        + verifying.register(again.path("publicKey")) + "}")
                .post("/enrol/finish").then().statusCode(200);

        JsonNode signIn = anonymous().contentType(ContentType.JSON).body("{}").post("/signin/start").then().statusCode(200)
                .body("publicKey.userVerification", equalTo("required")).extract().as(JsonNode.class);
        String withoutUv = verifying.userVerified(false).assertion(signIn.path("publicKey"));
        anonymous().contentType(ContentType.JSON)
                .body("{\"ceremonyId\":\"" + signIn.path("ceremonyId").asText() + "\",\"credential\":" + withoutUv + "}")
                .post("/signin/finish").then().statusCode(400).body("detail", containsString("User Verification"));
    }
}
