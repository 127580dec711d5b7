package dev.latch.testing;

import static io.restassured.RestAssured.given;

import io.restassured.specification.RequestSpecification;

/** A helper login (what `latch login` leaves behind): a DPoP-bound access token and its key. */
public record HelperLogin(String accessToken, String refreshToken, DpopKey key) {

    /** An API request as the helper sends it: the token and a fresh proof for this method and path. */
    public RequestSpecification api(String method, String path) {
        return given().header("Authorization", "DPoP " + accessToken).header("DPoP", key.proof(method, path, accessToken))
                .redirects().follow(false);
    }

    /** What `latch kube token` asks for one issuance. */
    public io.restassured.response.Response mint(java.util.UUID issuance) {
        return api("GET", "/api/v1/kube/token").queryParam("issuance", issuance.toString()).get("/api/v1/kube/token");
    }
}
