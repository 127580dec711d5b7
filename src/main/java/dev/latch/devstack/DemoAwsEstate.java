package dev.latch.devstack;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.organizations.OrganizationsClient;
import software.amazon.awssdk.services.organizations.model.CreateAccountStatus;
import software.amazon.awssdk.services.organizations.model.OrganizationFeatureSet;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * Seeds a fresh moto_server with {@link DemoEstate}: an organisation, its accounts, the Latch
 * roles in every workload account and one EKS cluster per workload account. Resources in member
 * accounts are made with credentials of a role assumed in that account, which is how moto (like
 * AWS) decides which account a call belongs to.
 */
final class DemoAwsEstate {

    static final String ACCESS_KEY = "testing";
    static final String SECRET_KEY = "testing";
    /** moto's default account: the organisation's management account, where the portal runs. */
    static final String MANAGEMENT_ACCOUNT = "123456789012";

    private DemoAwsEstate() {
    }

    static void seed(String endpoint) {
        AwsCredentialsProvider root = StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
        try (OrganizationsClient organizations = OrganizationsClient.builder()
                .httpClient(UrlConnectionHttpClient.create()).region(Region.US_EAST_1)
                .endpointOverride(URI.create(endpoint)).credentialsProvider(root).build();
             StsClient sts = StsClient.builder()
                     .httpClient(UrlConnectionHttpClient.create()).region(Region.of(DemoEstate.REGION))
                     .endpointOverride(URI.create(endpoint)).credentialsProvider(root).build()) {
            organizations.createOrganization(r -> r.featureSet(OrganizationFeatureSet.ALL));
            for (DemoEstate.Account account : DemoEstate.ACCOUNTS) {
                CreateAccountStatus status = organizations.createAccount(r -> r
                        .accountName(account.name())
                        .email("aws+" + account.name() + "@example.com"))
                        .createAccountStatus();
                if (account.cluster() != null) {
                    seedWorkloadAccount(endpoint, sts, status.accountId(), account);
                }
            }
        }
    }

    private static void seedWorkloadAccount(String endpoint, StsClient sts, String accountId, DemoEstate.Account account) {
        Credentials credentials = sts.assumeRole(r -> r
                .roleArn("arn:aws:iam::" + accountId + ":role/OrganizationAccountAccessRole")
                .roleSessionName("latch-demo-seed")).credentials();
        AwsCredentialsProvider inAccount = StaticCredentialsProvider.create(AwsSessionCredentials.create(
                credentials.accessKeyId(), credentials.secretAccessKey(), credentials.sessionToken()));
        try (IamClient iam = IamClient.builder()
                .httpClient(UrlConnectionHttpClient.create()).region(Region.AWS_GLOBAL)
                .endpointOverride(URI.create(endpoint)).credentialsProvider(inAccount).build();
             EksClient eks = EksClient.builder()
                     .httpClient(UrlConnectionHttpClient.create()).region(Region.of(DemoEstate.REGION))
                     .endpointOverride(URI.create(endpoint)).credentialsProvider(inAccount).build()) {
            for (DemoEstate.Level level : DemoEstate.LEVELS) {
                iam.createRole(r -> r.roleName(level.roleName()).maxSessionDuration(3600)
                        .assumeRolePolicyDocument(trustPolicy()));
            }
            String clusterRole = iam.createRole(r -> r.roleName("eks-cluster")
                    .assumeRolePolicyDocument(
                            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                                    + "\"Principal\":{\"Service\":\"eks.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}"))
                    .role().arn();
            eks.createCluster(r -> r.name(account.cluster()).roleArn(clusterRole).version("1.31")
                    .resourcesVpcConfig(v -> v.subnetIds("subnet-demo-a", "subnet-demo-b")));
        }
    }

    /** The trust policy docs/aws.md prescribes: the portal's account, with SourceIdentity required. */
    private static String trustPolicy() {
        return """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                 "Principal":{"AWS":"arn:aws:iam::%s:root"},
                 "Action":["sts:AssumeRole","sts:SetSourceIdentity","sts:TagSession"],
                 "Condition":{"StringLike":{"sts:SourceIdentity":"*"}}}]}"""
                .formatted(MANAGEMENT_ACCOUNT);
    }
}
