/**
 * The local stack for dev mode and tests: an embedded, real PostgreSQL and, when available, a
 * local {@code moto_server} standing in for AWS.
 *
 * <p>{@link dev.latch.devstack.DevStackConfigSourceFactory} runs before Quarkus reads its
 * configuration. In the {@code dev} and {@code test} profiles, and only when no database URL is
 * configured, it starts PostgreSQL once per JVM (the URL is kept in a system property so live
 * reload and repeated test starts reuse the same server). In the same profiles, when no AWS
 * endpoint is configured, it starts {@code moto_server} and seeds the demo organisation
 * ({@link dev.latch.devstack.DemoAwsEstate}). Tests require moto; dev mode merely explains what is
 * missing. In the {@code prod} profile it does nothing but refuse to start without a database.
 *
 * <p>The embedded PostgreSQL jars are {@code provided}-scoped: present in dev and test, never in
 * the packaged application, so in production the factory only checks required settings, and the
 * classes that start servers are never loaded. {@link dev.latch.devstack.DemoEstate} is plain data.
 */
package dev.latch.devstack;
