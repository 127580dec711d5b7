package dev.latch.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.devstack.DemoEstate;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.Cluster;
import software.amazon.awssdk.services.organizations.model.Account;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;

/**
 * The configured clients reach the AWS emulator the tests start (moto_server), seeded with the demo
 * organisation: the portal assumes a level's role in a member account with the engineer's name as
 * SourceIdentity, and describes that account's cluster with the role's credentials.
 */
@QuarkusTest
class AwsAccessLayerTest {

    @Inject
    AwsClients aws;

    @Test
    void clientsPointAtTheEmulator() {
        assertTrue(aws.emulated());
    }

    @Test
    void assumeRoleInAMemberAccountCarriesTheSourceIdentity() {
        String staging = accountIds().get("staging");
        AssumeRoleResponse response = aws.sts().assumeRole(r -> r
                .roleArn("arn:aws:iam::" + staging + ":role/LatchView")
                .roleSessionName("alice")
                .sourceIdentity("alice")
                .durationSeconds(900));
        assertTrue(response.assumedRoleUser().arn().endsWith(":assumed-role/LatchView/alice"), response.assumedRoleUser().arn());
        assertTrue(response.assumedRoleUser().arn().contains("::" + staging + ":"));
        assertNotNull(response.credentials().sessionToken());
    }

    @Test
    void describeClusterWithTheAssumedRoleReturnsEndpointAndCa() {
        String staging = accountIds().get("staging");
        var credentials = aws.sts().assumeRole(r -> r.roleArn("arn:aws:iam::" + staging + ":role/LatchView")
                .roleSessionName("alice").sourceIdentity("alice")).credentials();
        try (EksClient eks = aws.eks(Region.of(DemoEstate.REGION), StaticCredentialsProvider.create(AwsSessionCredentials.create(
                credentials.accessKeyId(), credentials.secretAccessKey(), credentials.sessionToken())))) {
            Cluster cluster = eks.describeCluster(r -> r.name("staging-main")).cluster();
            assertEquals("staging-main", cluster.name());
            assertTrue(cluster.endpoint().startsWith("https://"), cluster.endpoint());
            assertTrue(cluster.arn().contains(":" + staging + ":cluster/staging-main"), cluster.arn());
            assertTrue(cluster.certificateAuthority().data().length() > 100);
        }
    }

    private Map<String, String> accountIds() {
        Map<String, String> ids = aws.organizations().listAccountsPaginator().stream()
                .flatMap(page -> page.accounts().stream())
                .collect(Collectors.toMap(Account::name, Account::id));
        assertTrue(ids.keySet().containsAll(DemoEstate.ACCOUNTS.stream().map(DemoEstate.Account::name).toList()), ids.toString());
        return ids;
    }
}
