package dev.latch.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

/** The shared web shell as a browser and a program see it: headers, CSRF, errors, request ids. */
@QuarkusTest
class WebShellTest {

    private static final String ORIGIN = "http://localhost:8081";

    private static String csrfCookie() {
        return given().accept(ContentType.HTML).get("/").then().statusCode(200).extract().cookie("latch-csrf");
    }

    @Test
    void everyResponseCarriesStrictSecurityHeaders() {
        for (String path : new String[] {"/", "/static/css/latch.css", "/no-such-page", "/api/v1/nothing-here"}) {
            given().accept(ContentType.HTML).get(path).then()
                    .header("Content-Security-Policy", containsString("script-src 'self'"))
                    .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                    .header("Content-Security-Policy", not(containsString("unsafe-inline")))
                    .header("X-Content-Type-Options", "nosniff")
                    .header("Referrer-Policy", "same-origin")
                    .header("X-Request-Id", notNullValue())
                    // plain HTTP here: HSTS is only sent when the portal is served over TLS (see TlsPortalTest)
                    .header("Strict-Transport-Security", nullValue());
        }
    }

    @Test
    void pagesHaveNoInlineScriptAndCarryTheCsrfTokenForHtmx() {
        Response page = given().accept(ContentType.HTML).get("/");
        String cookie = page.cookie("latch-csrf");
        String html = page.asString();
        assertEquals(-1, html.indexOf("<script>"), "inline scripts would be blocked by the CSP");
        org.junit.jupiter.api.Assertions.assertTrue(html.contains("\"X-CSRF-Token\": \"" + cookie + "\""),
                "the layout must hand the CSRF token to htmx");
    }

    @Test
    void formPostWithoutCsrfTokenIsRefusedAndChangesNothing() {
        int before = ProbeResource.CHANGES.get();
        given().accept(ContentType.HTML).formParam("note", "hello").redirects().follow(false)
                .post("/test-probe/form").then()
                .statusCode(403)
                .contentType(containsString("text/html"))
                .body(containsString("did not come from a Latch page"));
        String cookie = csrfCookie();
        given().accept(ContentType.HTML).cookie("latch-csrf", cookie).formParam("note", "hello")
                .post("/test-probe/form").then().statusCode(403);
        given().accept(ContentType.HTML).cookie("latch-csrf", cookie).formParam("_csrf", cookie + "x")
                .formParam("note", "hello").post("/test-probe/form").then().statusCode(403);
        assertEquals(before, ProbeResource.CHANGES.get());
    }

    @Test
    void formPostWithTokenSucceedsAndTheFlashMessageShowsOnceOnTheNextPage() {
        String cookie = csrfCookie();
        Response saved = given().accept(ContentType.HTML).header("Origin", ORIGIN).cookie("latch-csrf", cookie)
                .formParam("_csrf", cookie).formParam("note", "<b>bold</b>")
                .redirects().follow(false).post("/test-probe/form");
        saved.then().statusCode(303).header("Location", containsString("/"));
        String flash = saved.cookie("latch-flash");

        Response next = given().accept(ContentType.HTML).cookie("latch-csrf", cookie).cookie("latch-flash", flash).get("/");
        next.then().statusCode(200)
                .body(containsString("Saved: &lt;b&gt;bold&lt;/b&gt;"))
                .body(not(containsString("<b>bold</b>")));
        assertEquals("", next.detailedCookie("latch-flash").getValue(), "the flash cookie is cleared once shown");
    }

    /**
     * A person whose browser has no Latch cookie yet (a bookmark, a link from an email) lands on a
     * page that a resource returns as a template, rendered after the resource method returns: the
     * page's token must arrive as the cookie too, or the first form post is refused.
     */
    @Test
    void aFreshBrowserThatLandsOnTheSignInPageCanStartSigningIn() {
        for (String entry : new String[] {"/signin", "/signin?next=%2Fkube", "/device", "/profile"}) {
            Response page = given().accept(ContentType.HTML).redirects().follow(true).get(entry);
            page.then().statusCode(200);
            String cookie = page.cookie("latch-csrf");
            org.junit.jupiter.api.Assertions.assertNotNull(cookie, entry + " rendered a form but set no CSRF cookie");
            org.junit.jupiter.api.Assertions.assertTrue(page.asString().contains("\"X-CSRF-Token\": \"" + cookie + "\""),
                    entry + ": the page's token and the cookie differ");
            given().contentType(ContentType.JSON).header("Origin", ORIGIN).header("X-CSRF-Token", cookie)
                    .cookie("latch-csrf", cookie).body("{}").post("/signin/start").then()
                    .statusCode(200).body("publicKey", notNullValue());
        }
    }

    @Test
    void aPageThatReusesTheBrowsersTokenSetsNoNewCookie() {
        String cookie = csrfCookie();
        Response page = given().accept(ContentType.HTML).cookie("latch-csrf", cookie).get("/signin");
        org.junit.jupiter.api.Assertions.assertNull(page.cookie("latch-csrf"), "an existing token is kept, not rotated");
        org.junit.jupiter.api.Assertions.assertTrue(page.asString().contains("\"X-CSRF-Token\": \"" + cookie + "\""));
    }

    @Test
    void htmxStylePostWithTheTokenHeaderSucceeds() {
        String cookie = csrfCookie();
        given().header("HX-Request", "true").header("X-CSRF-Token", cookie).cookie("latch-csrf", cookie)
                .formParam("note", "via htmx").redirects().follow(false)
                .post("/test-probe/form").then().statusCode(303);
    }

    @Test
    void crossOriginPostsAreRefusedEvenWithAValidToken() {
        int before = ProbeResource.CHANGES.get();
        String cookie = csrfCookie();
        given().accept(ContentType.HTML).header("Origin", "https://evil.example").cookie("latch-csrf", cookie)
                .formParam("_csrf", cookie).formParam("note", "x").post("/test-probe/form").then()
                .statusCode(403).body(containsString("came from another web site"));
        given().accept(ContentType.HTML).header("Sec-Fetch-Site", "cross-site").cookie("latch-csrf", cookie)
                .formParam("_csrf", cookie).formParam("note", "x").post("/test-probe/form").then().statusCode(403);
        given().header("Referer", "https://evil.example/page").cookie("latch-csrf", cookie)
                .formParam("_csrf", cookie).formParam("note", "x").post("/test-probe/form").then().statusCode(403);
        given().contentType(ContentType.JSON).header("Origin", "https://evil.example")
                .body("{\"text\":\"x\",\"priority\":1}").post("/api/v1/test-probe").then()
                .statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("https://latch.dev/problems/cross-origin-request"));
        assertEquals(before, ProbeResource.CHANGES.get());
    }

    /** Found by BadInputSweepTest: Jackson's message named the Java class a body maps to; the detail says what is wrong in JSON terms only. */
    @Test
    void malformedJsonIsExplainedWithoutJavaNames() {
        for (String body : new String[] {"[1, 2]", "\"x\"", "42", "{\"text\": {\"a\": 1}, \"priority\": 1}", "{\"text\": \"x\", \"priority\": \"high\"}"}) {
            String detail = given().contentType(ContentType.JSON).body(body).post("/api/v1/test-probe").then()
                    .statusCode(400).contentType("application/problem+json")
                    .body("type", equalTo("https://latch.dev/problems/malformed-json")).extract().path("detail");
            org.junit.jupiter.api.Assertions.assertFalse(detail.contains("dev.latch") || detail.contains("ApiProbeResource")
                    || detail.contains("java.") || detail.contains("Creator"), body + " -> " + detail);
        }
        given().contentType(ContentType.JSON).body("{\"text\": \"x\", \"priority\": \"high\"}").post("/api/v1/test-probe").then()
                .statusCode(400).body("detail", containsString("priority"));
    }

    @Test
    void apiErrorsAreProblemJson() {
        given().get("/api/v1/nothing-here").then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404)).body("title", equalTo("Not found"))
                .body("instance", equalTo("/api/v1/nothing-here")).body("requestId", notNullValue());
        given().contentType(ContentType.JSON).body("{\"text\": ").post("/api/v1/test-probe").then()
                .statusCode(400).contentType("application/problem+json").body("status", equalTo(400));
        given().contentType(ContentType.JSON).body("{\"text\":\"\",\"priority\":-1}").post("/api/v1/test-probe").then()
                .statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("priority")).body("detail", containsString("text"));
        given().contentType(ContentType.XML).body("<note/>").post("/api/v1/test-probe").then()
                .statusCode(415).contentType("application/problem+json");
        given().get("/api/v1/test-probe/refused").then().statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("https://latch.dev/problems/not-yours"))
                .body("detail", equalTo("You cannot read this object."));
    }

    /** A form body whose percent-encoding is broken is the sender's fault: 400, in each caller's format (issue 13). */
    @Test
    void aFormWithBrokenPercentEncodingIsABadRequestNotAServerError() {
        int before = ProbeResource.CHANGES.get();
        given().accept(ContentType.HTML).contentType("application/x-www-form-urlencoded").body("note=%ZZ&b=%E2%28")
                .post("/test-probe/form").then().statusCode(400).contentType(containsString("text/html"))
                .body(not(containsString("Exception")));
        given().contentType("application/x-www-form-urlencoded").body("grant_type=%ZZ&device_code=x")
                .post("/oauth/token").then().statusCode(400).body("error", equalTo("invalid_request"));
        given().contentType("application/x-www-form-urlencoded").body("client_id=latch-cli&scope=%ZZ")
                .post("/oauth/device_authorization").then().statusCode(400).body("error", equalTo("invalid_request"));
        given().accept(ContentType.HTML).contentType("application/x-www-form-urlencoded").body("_csrf=%G1")
                .post("/signin/out").then().statusCode(400).body(containsString("broken %-escape"));
        assertEquals(before, ProbeResource.CHANGES.get());
    }

    @Test
    void unexpectedFailuresNeverShowAStackTrace() {
        Response api = given().get("/api/v1/test-probe/boom");
        api.then().statusCode(500).contentType("application/problem+json")
                .body("detail", containsString("Nothing was changed"))
                .body("requestId", equalTo(api.header("X-Request-Id")));
        org.junit.jupiter.api.Assertions.assertFalse(api.asString().contains("secret internal detail"));
        org.junit.jupiter.api.Assertions.assertFalse(api.asString().contains("Exception"));

        Response page = given().accept(ContentType.HTML).get("/test-probe/boom");
        page.then().statusCode(500).contentType(containsString("text/html"))
                .body(containsString("Something went wrong"))
                .body(containsString(page.header("X-Request-Id")))
                .body(not(containsString("secret internal detail")))
                .body(not(containsString("IllegalStateException")))
                .body(not(containsString("at dev.latch")));
    }

    @Test
    void unknownPagesGetAReadable404Page() {
        given().accept(ContentType.HTML).get("/no/such/page").then().statusCode(404)
                .contentType(containsString("text/html"))
                .body(containsString("There is nothing at this address"))
                .body(containsString("Go to the start page"));
    }

    @Test
    void clientsCannotChooseTheRequestIdWithoutATrustedProxy() {
        given().header("X-Request-Id", "chosen-by-client-123").get("/").then()
                .header("X-Request-Id", matchesPattern("[0-9a-f-]{36}"));
    }
}
