package dev.latch.inventory;

import static dev.latch.testing.Browserless.as;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.testing.Fixtures;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Discovery against the AWS emulator's demo organisation (moto_server): scan, differences, apply. */
@QuarkusTest
class AwsDiscoveryTest {

    @Inject
    AwsDiscovery discovery;

    @Inject
    Fixtures fixtures;

    @Test
    void accountsAndClustersAppearWithTheirEndpointsAndCas() {
        List<AwsDiscovery.FoundAccount> found = discovery.scan();
        List<String> names = found.stream().map(AwsDiscovery.FoundAccount::name).toList();
        assertTrue(names.containsAll(List.of("identity", "dev", "staging", "production")), names.toString());
        AwsDiscovery.FoundCluster staging = found.stream().filter(a -> a.name().equals("staging")).findFirst().orElseThrow()
                .clusters().get(0);
        assertEquals("staging-main", staging.name());
        assertTrue(staging.endpoint().startsWith("https://"), staging.endpoint());
        assertTrue(staging.caBundle().length() > 100);

        String admin = fixtures.session(fixtures.user("admin", true));
        as(admin).post("/admin/discovery/scan").then().statusCode(200).body(containsString("staging-main"))
                .body(containsString("Differences"));
        assertEquals(0L, (long) QuarkusTransaction.requiringNew().call(() -> Cluster.count("name = ?1 and source = 'discovery'", "staging-main")),
                "a scan changes nothing");

        as(admin).post("/admin/discovery/apply").then().statusCode(200).body(containsString("Applied"));
        Cluster cluster = QuarkusTransaction.requiringNew().call(() -> Cluster.<Cluster>find("name = ?1 and source = 'discovery'",
                "staging-main").firstResult());
        assertEquals(staging.endpoint(), cluster.endpoint);
        assertEquals(staging.caBundle(), cluster.caBundle);
        assertEquals(0, discovery.differences(discovery.scan()).size(), "applying twice finds nothing new");

        as(fixtures.session(fixtures.user("member", false))).accept(io.restassured.http.ContentType.HTML)
                .post("/admin/discovery/apply").then().statusCode(403);
    }
}
