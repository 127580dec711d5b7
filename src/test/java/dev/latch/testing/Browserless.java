package dev.latch.testing;

import static io.restassured.RestAssured.given;

import io.restassured.specification.RequestSpecification;

/** RestAssured requests as a signed-in browser page sends them: session cookie plus CSRF double submit. */
public final class Browserless {

    /** Any value works for the double submit: the cookie and the header just have to match. */
    public static final String CSRF = "test-csrf-token-0123456789abcdefghijklmnop";

    private Browserless() {
    }

    public static RequestSpecification as(String sessionToken) {
        return given().cookie("latch-session", sessionToken)
                .cookie("latch-csrf", CSRF).header("X-CSRF-Token", CSRF)
                .redirects().follow(false);
    }

    public static RequestSpecification anonymous() {
        return given().cookie("latch-csrf", CSRF).header("X-CSRF-Token", CSRF).redirects().follow(false);
    }
}
