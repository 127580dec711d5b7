package dev.latch.oauth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.latch.testing.DpopKey;
import dev.latch.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.Date;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each check of RFC 9449 §4.3 on its own: a proof that is right in every way but one is refused
 * with {@code invalid_dpop_proof}, and the same proof made right is accepted (the device code is
 * still pending, so the answer is {@code authorization_pending}). The access-token checks (ath,
 * cnf.jkt) are in {@link DeviceFlowTest#tokensAreUselessWithAnotherKey}.
 */
@QuarkusTest
class DpopProofChecksTest {

    private static final String GRANT = "urn:ietf:params:oauth:grant-type:device_code";
    private static final String TOKEN_URL = DpopKey.ORIGIN + "/oauth/token";

    private ECKey key;
    private String deviceCode;

    @BeforeEach
    void pendingDeviceCode() throws Exception {
        key = new ECKeyGenerator(Curve.P_256).generate();
        deviceCode = given().formParam("client_id", "latch-cli").post("/oauth/device_authorization").then().statusCode(200)
                .extract().path("device_code");
    }

    @Test
    void aProofRightInEveryWayIsAccepted() {
        poll(proof(UnaryOperator.identity(), UnaryOperator.identity())).then().statusCode(400)
                .body("error", equalTo("authorization_pending"));
    }

    @Test
    void theProofMustBeASignedJwtOfTypeDpopWithAnAsymmetricAlgorithm() throws Exception {
        refused(given().header("DPoP", "not-a-jwt"));
        refused(given().header("DPoP", new PlainJWT(claims().build()).serialize()));
        refused(withProof(proof(header -> header.type(JOSEObjectType.JWT), UnaryOperator.identity())));
        refused(withProof(proof(header -> header.type(null), UnaryOperator.identity())));
        SignedJWT symmetric = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(new JOSEObjectType("dpop+jwt"))
                .jwk(key.toPublicJWK()).build(), claims().build());
        symmetric.sign(new MACSigner(new byte[32]));
        refused(withProof(symmetric.serialize()));
    }

    @Test
    void theSignatureMustVerifyWithThePublicKeyInTheHeaderAndNoPrivateKeyIsCarried() throws Exception {
        ECKey other = new ECKeyGenerator(Curve.P_256).generate();
        refused(withProof(proof(header -> header.jwk(other.toPublicJWK()), UnaryOperator.identity())));
        refused(withProof(withPrivateKeyInHeader()));
        refused(withProof(proof(header -> header.jwk(null), UnaryOperator.identity())));
    }

    @Test
    void methodAndUrlMustBeThisRequestsAndTheQueryIsIgnored() {
        refused(withProof(proof(UnaryOperator.identity(), claims -> claims.claim("htm", "GET"))));
        refused(withProof(proof(UnaryOperator.identity(), claims -> claims.claim("htu", "http://localhost:8081/oauth/revoke"))));
        refused(withProof(proof(UnaryOperator.identity(), claims -> claims.claim("htu", "https://evil.example/oauth/token"))));
        refused(withProof(proof(UnaryOperator.identity(), claims -> claims.claim("htm", null))));
        refused(withProof(proof(UnaryOperator.identity(), claims -> claims.claim("htu", null))));
        poll(proof(UnaryOperator.identity(), claims -> claims.claim("htu", TOKEN_URL + "?x=1#y"))).then()
                .body("error", equalTo("authorization_pending"));
    }

    @Test
    void theProofMustBeFreshAndUsedOnce() {
        refused(withProof(proof(UnaryOperator.identity(), claims -> claims.issueTime(Date.from(TestClock.now().minusSeconds(120))))));
        refused(withProof(proof(UnaryOperator.identity(), claims -> claims.issueTime(Date.from(TestClock.now().plusSeconds(120))))));
        refused(withProof(proof(UnaryOperator.identity(), claims -> claims.issueTime(null))));
        refused(withProof(proof(UnaryOperator.identity(), claims -> claims.jwtID(null))));
        String once = proof(UnaryOperator.identity(), UnaryOperator.identity());
        poll(once).then().body("error", equalTo("authorization_pending"));
        refused(withProof(once));
    }

    @Test
    void oneProofPerRequest() {
        String first = proof(UnaryOperator.identity(), UnaryOperator.identity());
        String second = proof(UnaryOperator.identity(), UnaryOperator.identity());
        refused(given().header("DPoP", first).header("DPoP", second));
    }

    private String proof(UnaryOperator<JWSHeader.Builder> header, UnaryOperator<JWTClaimsSet.Builder> claims) {
        try {
            JWSHeader.Builder headerBuilder = new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("dpop+jwt"))
                    .jwk(key.toPublicJWK());
            SignedJWT jwt = new SignedJWT(header.apply(headerBuilder).build(), claims.apply(claims()).build());
            jwt.sign(new ECDSASigner(key));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Nimbus will not put a private key in a header, so this proof is assembled by hand, as an attacker's would be. */
    private String withPrivateKeyInHeader() throws Exception {
        java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        String header = "{\"typ\":\"dpop+jwt\",\"alg\":\"ES256\",\"jwk\":" + key.toJSONString() + "}";
        String signingInput = b64.encodeToString(header.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims().build().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        com.nimbusds.jose.util.Base64URL signature = new ECDSASigner(key).sign(
                new JWSHeader.Builder(JWSAlgorithm.ES256).build(), signingInput.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return signingInput + "." + signature;
    }

    private static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder().claim("htm", "POST").claim("htu", TOKEN_URL).issueTime(Date.from(TestClock.now()))
                .jwtID(UUID.randomUUID().toString());
    }

    private static io.restassured.specification.RequestSpecification withProof(String proof) {
        return given().header("DPoP", proof);
    }

    private Response poll(String proof) {
        return post(withProof(proof));
    }

    private Response post(io.restassured.specification.RequestSpecification request) {
        return request.formParam("client_id", "latch-cli").formParam("grant_type", GRANT).formParam("device_code", deviceCode)
                .post("/oauth/token");
    }

    private void refused(io.restassured.specification.RequestSpecification request) {
        post(request).then().statusCode(400).body("error", equalTo("invalid_dpop_proof"));
    }
}
