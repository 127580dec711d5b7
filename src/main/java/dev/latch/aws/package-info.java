/**
 * The AWS access layer: every AWS SDK client Latch uses is built here, from one typed
 * configuration ({@link dev.latch.aws.AwsConfig}).
 *
 * <p>The portal's own identity comes from the SDK's default provider chain (EKS Pod Identity or
 * IRSA in production). Each service endpoint can be overridden, for VPC endpoints in production
 * and for {@code moto_server} in dev mode and tests; static keys exist only for such emulators.
 * Clients use the JDK's URL connection HTTP client (small, no extra threads) and are shared,
 * thread-safe singletons. Clients for other accounts take the credentials of a role assumed
 * there (see the broker feature), so one factory serves the portal's account and every target.
 */
package dev.latch.aws;
