package dev.latch.oauth;

import static dev.latch.testing.Browserless.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.oauth2.sdk.device.DeviceCodeGrant;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationRequest;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationResponse;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.dpop.DPoPProofFactory;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import dev.latch.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A standard OAuth client library (Nimbus OAuth 2.0 SDK), not our helper, completes the device
 * flow with DPoP using nothing but the portal's discovery document.
 */
@QuarkusTest
class DeviceFlowInteropTest {

    @Inject
    Fixtures fixtures;

    @Test
    void aStandardClientCompletesTheDeviceFlowFromDiscoveryAlone() throws Exception {
        AuthorizationServerMetadata metadata = AuthorizationServerMetadata.resolve(new Issuer("http://localhost:8081"));
        ClientID client = new ClientID("latch-cli");

        DeviceAuthorizationResponse authorization = DeviceAuthorizationResponse.parse(
                new DeviceAuthorizationRequest(metadata.getDeviceAuthorizationEndpointURI(), client, null).toHTTPRequest().send());
        assertTrue(authorization.indicatesSuccess());
        DeviceAuthorizationSuccessResponse codes = authorization.toSuccessResponse();

        String session = fixtures.session(fixtures.user("interop", false));
        String page = as(session).formParam("user_code", codes.getUserCode().getValue()).post("/device/lookup").then()
                .statusCode(200).extract().asString();
        Matcher id = Pattern.compile("/device/([0-9a-f-]{36})/approve").matcher(page);
        assertTrue(id.find());
        as(session).header("HX-Request", "true").post("/device/" + UUID.fromString(id.group(1)) + "/approve").then().statusCode(200);

        ECKey dpopKey = new ECKeyGenerator(Curve.P_256).generate();
        DPoPProofFactory proofs = new DefaultDPoPProofFactory(dpopKey, JWSAlgorithm.ES256);
        HTTPRequest tokenRequest = new TokenRequest(metadata.getTokenEndpointURI(), client,
                new DeviceCodeGrant(codes.getDeviceCode())).toHTTPRequest();
        tokenRequest.setDPoP(proofs.createDPoPJWT(tokenRequest.getMethod().name(), tokenRequest.getURI()));
        TokenResponse tokens = TokenResponse.parse(tokenRequest.send());
        if (!tokens.indicatesSuccess()) {
            throw new AssertionError(((TokenErrorResponse) tokens).getErrorObject().toJSONObject());
        }
        assertTrue(tokens.toSuccessResponse().getTokens().getAccessToken() instanceof DPoPAccessToken);
        assertNotNull(tokens.toSuccessResponse().getTokens().getRefreshToken());
        assertEquals(600, tokens.toSuccessResponse().getTokens().getAccessToken().getLifetime());
    }
}
