package dev.latch.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Renders each overlay of deploy/kubernetes with the real {@code kubectl kustomize} and checks what
 * a reviewer of a production rollout checks: enough replicas that roll without a gap, probes on the
 * right health endpoints, bounded resources, a locked-down container, configuration from the
 * ConfigMap and secrets from a Secret, a TLS ingress whose host is the portal's public URL, health
 * and metrics on a management port that the ingress never reaches, a NetworkPolicy, and a
 * migration Job that is a new object for each release.
 */
class KubernetesManifestsTest {

    private static final Path KUSTOMIZE_ROOT = Path.of("deploy", "kubernetes");
    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws:iam::\\d{12}:role/[\\w+=,.@/-]+");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
    /** The portal's own port (what the Service and the Ingress reach) and Quarkus' management interface. */
    private static final int HTTP_PORT = 8080;
    private static final int MANAGEMENT_PORT = 9000;
    private static final Pattern SECRET_LIKE_KEY = Pattern.compile("PASSWORD|SECRET|KEY|TOKEN|CREDENTIAL|WEBHOOK", Pattern.CASE_INSENSITIVE);

    @ParameterizedTest(name = "{0}")
    @CsvSource({"demo, 2", "production, 3"})
    void theOverlayRendersEveryObjectTheRolloutNeeds(String overlay, int replicas) throws Exception {
        Rendered r = Rendered.overlay(overlay);
        for (String kind : List.of("Deployment", "Service", "Ingress", "PodDisruptionBudget", "HorizontalPodAutoscaler",
                "ServiceAccount", "NetworkPolicy", "ConfigMap", "Job")) {
            assertFalse(r.ofKind(kind).isEmpty(), overlay + " renders no " + kind);
        }
        assertTrue(r.secret("latch-secrets") != null || r.externalSecretFor("latch-secrets") != null,
                overlay + " has neither a Secret nor an ExternalSecret named latch-secrets");

        Map<String, Object> deployment = r.deployment();
        assertEquals(replicas, deployment(deployment, "spec", "replicas"), overlay + " replicas");
        assertEquals("RollingUpdate", deployment(deployment, "spec", "strategy", "type"));
        assertEquals(0, deployment(deployment, "spec", "strategy", "rollingUpdate", "maxUnavailable"),
                "a rollout must never go below the wanted number of ready pods");

        Map<String, Object> hpa = r.one("HorizontalPodAutoscaler");
        assertEquals("autoscaling/v2", hpa.get("apiVersion"));
        assertEquals("Deployment", at(hpa, "spec", "scaleTargetRef", "kind"));
        assertEquals("latch", at(hpa, "spec", "scaleTargetRef", "name"));
        assertEquals(replicas, at(hpa, "spec", "minReplicas"), "minReplicas must equal the Deployment's replicas");
        assertTrue((int) at(hpa, "spec", "maxReplicas") > replicas);
        Map<String, Object> metric = list(at(hpa, "spec", "metrics")).get(0);
        assertEquals("cpu", at(metric, "resource", "name"));
        assertEquals("Utilization", at(metric, "resource", "target", "type"));

        Map<String, Object> pdb = r.one("PodDisruptionBudget");
        assertTrue(selects(stringMap(at(pdb, "spec", "selector", "matchLabels")), r.portalPodLabels()), "the PDB must select the portal pods");
        Object maxUnavailable = at(pdb, "spec", "maxUnavailable");
        Object minAvailable = at(pdb, "spec", "minAvailable");
        assertTrue(Objects.equals(maxUnavailable, 1) || (minAvailable instanceof Integer min && min >= 1 && min < replicas),
                "the PDB must let exactly some pods go: " + pdb.get("spec"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"demo", "production"})
    void theContainerIsProbedBoundedAndLockedDown(String overlay) throws Exception {
        Rendered r = Rendered.overlay(overlay);
        Map<String, Object> pod = map(at(r.deployment(), "spec", "template", "spec"));
        Map<String, Object> container = r.portalContainer();

        assertEquals("/q/health/ready", at(container, "readinessProbe", "httpGet", "path"));
        assertEquals("/q/health/live", at(container, "livenessProbe", "httpGet", "path"));
        assertNotNull(at(container, "startupProbe", "httpGet", "path"), "the JVM and Flyway need a startup probe");
        for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
            assertEquals(MANAGEMENT_PORT, containerPort(container, at(container, probe, "httpGet", "port")),
                    probe + ": health is served on the management port only");
        }
        int startupBudget = (int) at(container, "startupProbe", "periodSeconds") * (int) at(container, "startupProbe", "failureThreshold");
        assertTrue(startupBudget >= 60, "the startup probe gives up after only " + startupBudget + " s");
        assertEquals(8080, at(list(container.get("ports")).get(0), "containerPort"));

        for (String kind : List.of("requests", "limits")) {
            assertNotNull(at(container, "resources", kind, "memory"), "resources." + kind + ".memory");
        }
        assertNotNull(at(container, "resources", "requests", "cpu"), "resources.requests.cpu");
        assertEquals(at(container, "resources", "requests", "memory"), at(container, "resources", "limits", "memory"),
                "memory request = limit, so the heap share is sized from what the pod is guaranteed");
        String javaOpts = envValue(container, "JAVA_OPTS_APPEND");
        assertNotNull(javaOpts, "JAVA_OPTS_APPEND sizes the heap from the memory limit");
        var percent = Pattern.compile("-XX:MaxRAMPercentage=(\\d+)").matcher(javaOpts);
        assertTrue(percent.find() && Integer.parseInt(percent.group(1)) <= 75,
                "the heap must leave room for metaspace, threads and buffers: " + javaOpts);

        assertLockedDown(pod, container, "portal");

        Map<String, Object> preStop = map(at(container, "lifecycle", "preStop"));
        assertNotNull(preStop, "a preStop pause lets the load balancer drain before SIGTERM");
        assertTrue((int) pod.get("terminationGracePeriodSeconds") > 10 + 20,
                "the grace period must cover the preStop sleep and Quarkus' shutdown timeout");
        List<Map<String, Object>> spread = list(pod.get("topologySpreadConstraints"));
        assertTrue(spread.stream().anyMatch(c -> "kubernetes.io/hostname".equals(c.get("topologyKey")))
                        || at(pod, "affinity", "podAntiAffinity") != null,
                "replicas must be spread over nodes");
        assertTrue(spread.stream().anyMatch(c -> "topology.kubernetes.io/zone".equals(c.get("topologyKey"))), "and over zones");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"demo", "production"})
    void configurationComesFromTheConfigMapAndSecretsFromTheSecret(String overlay) throws Exception {
        Rendered r = Rendered.overlay(overlay);
        Map<String, Object> container = r.portalContainer();
        List<Map<String, Object>> envFrom = list(container.get("envFrom"));
        String configMapName = envFrom.stream().map(e -> (String) at(e, "configMapRef", "name")).filter(Objects::nonNull)
                .findFirst().orElseThrow(() -> new AssertionError("no envFrom configMapRef"));
        String secretName = envFrom.stream().map(e -> (String) at(e, "secretRef", "name")).filter(Objects::nonNull)
                .findFirst().orElseThrow(() -> new AssertionError("no envFrom secretRef"));
        assertEquals("latch-secrets", secretName);

        Map<String, Object> configMap = r.named("ConfigMap", configMapName);
        assertNotNull(configMap, "the Deployment refers to ConfigMap " + configMapName + ", which is not rendered");
        assertTrue(configMapName.matches("latch-config-[a-z0-9]{10}"), "a hashed name rolls the pods when the config changes: " + configMapName);
        Map<String, String> config = stringMap(configMap.get("data"));
        List<String> secretish = config.keySet().stream().filter(k -> SECRET_LIKE_KEY.matcher(k).find()).toList();
        assertTrue(secretish.isEmpty(), "secrets belong in the Secret, not the ConfigMap: " + secretish);
        assertFalse(config.containsKey("QUARKUS_DATASOURCE_JDBC_URL"), "the database URL goes with its credentials, in the Secret");
        assertTrue(config.values().stream().noneMatch(v -> v.contains("password=")), "no password in a ConfigMap value");

        Map<String, Object> secret = r.secret("latch-secrets");
        if (secret != null) {
            Set<String> keys = secret.containsKey("stringData") ? stringMap(secret.get("stringData")).keySet() : stringMap(secret.get("data")).keySet();
            assertTrue(keys.containsAll(Set.of("QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD",
                    "LATCH_OAUTH_KEY_ENCRYPTION_KEY")), "the prod profile does not start without these: " + keys);
        } else {
            Map<String, Object> external = r.externalSecretFor("latch-secrets");
            assertNotNull(at(external, "spec", "secretStoreRef", "name"));
            assertTrue(external.get("spec") instanceof Map<?, ?> spec && (spec.containsKey("dataFrom") || spec.containsKey("data")));
        }

        for (Map<String, Object> env : list(container.get("env"))) {
            assertFalse(SECRET_LIKE_KEY.matcher((String) env.get("name")).find() && env.containsKey("value"),
                    "a secret written into the Deployment: " + env.get("name"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"demo", "production"})
    void theIngressServesThePublicUrlOverTlsThroughTheService(String overlay) throws Exception {
        Rendered r = Rendered.overlay(overlay);
        Map<String, Object> ingress = r.one("Ingress");
        Map<String, Object> tls = list(at(ingress, "spec", "tls")).get(0);
        String host = (String) list(at(ingress, "spec", "rules")).get(0).get("host");
        assertTrue(list(tls.get("hosts")).contains(host), "the TLS certificate must cover the rule's host " + host);
        assertNotNull(tls.get("secretName"));

        Map<String, String> config = r.portalConfig();
        assertEquals("https://" + host, config.get("LATCH_PORTAL_PUBLIC_URL"),
                "the public URL is the only origin that may change state, and the WebAuthn relying party: it must be the ingress host");
        assertEquals("true", config.get("LATCH_PROXY_FORWARDING"), "behind the ingress the portal must trust X-Forwarded-*");

        Map<String, Object> backend = map(at(list(at(list(at(ingress, "spec", "rules")).get(0), "http", "paths")).get(0), "backend", "service"));
        Map<String, Object> service = r.named("Service", (String) backend.get("name"));
        assertNotNull(service, "the ingress points at a missing Service " + backend.get("name"));
        assertEquals("ClusterIP", at(service, "spec", "type"));
        Map<String, Object> port = list(at(service, "spec", "ports")).get(0);
        assertEquals(80, port.get("port"));
        assertTrue(Objects.equals(port.get("targetPort"), 8080) || Objects.equals(port.get("targetPort"), "http"));
        assertEquals(port.get("name"), at(backend, "port", "name"));
        Map<String, String> selector = stringMap(at(service, "spec", "selector"));
        assertTrue(selects(selector, r.portalPodLabels()), "the Service must select the portal pods");
        assertFalse(selects(selector, r.migrationPodLabels()), "the Service must never send traffic to the migration Job");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"demo", "production"})
    void healthAndMetricsAreOnAManagementPortTheIngressNeverReaches(String overlay) throws Exception {
        Rendered r = Rendered.overlay(overlay);
        Map<String, Object> container = r.portalContainer();
        assertEquals(MANAGEMENT_PORT, containerPort(container, "management"), "the container names its management port");
        Map<String, String> annotations = stringMap(at(r.deployment(), "spec", "template", "metadata", "annotations"));
        assertEquals(String.valueOf(MANAGEMENT_PORT), annotations.get("prometheus.io/port"), "Prometheus scrapes the management port");
        assertEquals("/q/metrics", annotations.get("prometheus.io/path"));

        for (Map<String, Object> service : r.ofKind("Service")) {
            for (Map<String, Object> port : list(at(service, "spec", "ports"))) {
                if (selects(stringMap(at(service, "spec", "selector")), r.portalPodLabels())) {
                    assertNotEquals(MANAGEMENT_PORT, containerPort(container, port.get("targetPort")),
                            "Service " + at(service, "metadata", "name") + " exposes the management port");
                }
            }
        }
        for (Map<String, Object> ingress : r.ofKind("Ingress")) {
            for (Map<String, Object> rule : list(at(ingress, "spec", "rules"))) {
                for (Map<String, Object> path : list(at(rule, "http", "paths"))) {
                    Map<String, Object> backend = map(at(path, "backend", "service"));
                    Map<String, Object> service = r.named("Service", (String) backend.get("name"));
                    Object servicePort = at(backend, "port", "name") != null ? at(backend, "port", "name") : at(backend, "port", "number");
                    Map<String, Object> port = list(at(service, "spec", "ports")).stream()
                            .filter(p -> servicePort.equals(p.get("name")) || servicePort.equals(p.get("port"))).findFirst()
                            .orElseThrow(() -> new AssertionError("the ingress names a port the Service lacks: " + servicePort));
                    assertEquals(HTTP_PORT, containerPort(container, port.get("targetPort")), "the ingress reaches the portal's port only");
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"demo", "production"})
    void theServiceAccountCarriesTheIrsaRoleAndTheNetworkPolicyIsTight(String overlay) throws Exception {
        Rendered r = Rendered.overlay(overlay);
        String accountName = (String) at(r.deployment(), "spec", "template", "spec", "serviceAccountName");
        Map<String, Object> account = r.named("ServiceAccount", accountName);
        assertNotNull(account, "the Deployment's service account " + accountName + " is not rendered");
        String arn = (String) at(account, "metadata", "annotations", "eks.amazonaws.com/role-arn");
        assertNotNull(arn, "the IRSA annotation is missing");
        assertTrue(ROLE_ARN.matcher(arn).matches(), arn);

        Map<String, Object> policy = r.ofKind("NetworkPolicy").stream()
                .filter(p -> selects(stringMap(at(p, "spec", "podSelector", "matchLabels")), r.portalPodLabels()))
                .findFirst().orElseThrow(() -> new AssertionError("no NetworkPolicy selects the portal pods"));
        assertEquals(List.of("Ingress", "Egress"), at(policy, "spec", "policyTypes"));
        Set<Integer> ingressPorts = new java.util.HashSet<>();
        for (Map<String, Object> rule : list(at(policy, "spec", "ingress"))) {
            List<Map<String, Object>> from = list(rule.get("from"));
            assertFalse(from.isEmpty(), "an ingress rule without 'from' admits every pod and address");
            assertTrue(from.stream().allMatch(f -> f.containsKey("namespaceSelector")), "ingress only from named namespaces");
            assertTrue(ports(rule).size() == 1, "one port per rule, so each port has its own callers: " + rule);
            ingressPorts.addAll(ports(rule));
        }
        assertEquals(Set.of(HTTP_PORT, MANAGEMENT_PORT), ingressPorts, "the portal's port and the management port, nothing else");
        Set<Object> portalCallers = callers(policy, HTTP_PORT);
        Set<Object> managementCallers = callers(policy, MANAGEMENT_PORT);
        assertTrue(java.util.Collections.disjoint(portalCallers, managementCallers),
                "whoever reaches the portal's port (the ingress controller) must not reach the management port: " + managementCallers);
        Set<Integer> egressPorts = new java.util.HashSet<>();
        for (Map<String, Object> rule : list(at(policy, "spec", "egress"))) {
            assertFalse(ports(rule).isEmpty(), "an egress rule without ports opens every port: " + rule);
            egressPorts.addAll(ports(rule));
        }
        assertTrue(egressPorts.containsAll(Set.of(53, 5432, 443, 587)), "DNS, PostgreSQL, HTTPS and SMTP: " + egressPorts);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"demo", "production"})
    void theMigrationJobRunsTheSameReleaseOnceAndExits(String overlay) throws Exception {
        Rendered r = Rendered.overlay(overlay);
        Map<String, Object> job = r.one("Job");
        Map<String, Object> pod = map(at(job, "spec", "template", "spec"));
        Map<String, Object> container = list(pod.get("containers")).get(0);
        String image = (String) r.portalContainer().get("image");
        assertEquals(image, container.get("image"), "the Job must migrate to the schema of the release it ships with");

        String tag = imageTag(image);
        String name = (String) at(job, "metadata", "name");
        assertEquals("latch-migrate-" + tag, name, "one Job per release: its name must carry the image tag");
        assertTrue(name.length() <= 63 && DNS_SUBDOMAIN.matcher(name).matches(), "not a valid Job name: " + name);

        assertEquals("true", envValue(container, "QUARKUS_INIT_AND_EXIT"), "the Job must migrate and exit, not serve");
        assertEquals("Never", pod.get("restartPolicy"));
        assertNotNull(at(job, "spec", "backoffLimit"));
        assertNotNull(at(job, "spec", "activeDeadlineSeconds"), "a migration stuck on a lock must not hang forever");
        List<Map<String, Object>> envFrom = list(container.get("envFrom"));
        assertEquals(List.of("latch-secrets", "latch-migration-secrets"),
                envFrom.stream().map(e -> at(e, "secretRef", "name")).filter(Objects::nonNull).toList(),
                "the Job migrates as the schema owner, whose credentials only it holds");
        assertTrue(envFrom.stream().noneMatch(e -> e.containsKey("configMapRef")),
                "the hashed ConfigMap name would change the Job's immutable pod template within a release");
        assertLockedDown(pod, container, "migration");
        assertFalse(selects(stringMap(at(r.one("PodDisruptionBudget"), "spec", "selector", "matchLabels")), r.migrationPodLabels()));
    }

    /**
     * Two database roles: the portal's pods hold only the app role, which cannot delete audit rows;
     * the owner's credentials, which can, go to the migration Job alone (docs/operations.md).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"demo", "production"})
    void onlyTheMigrationJobHoldsTheSchemaOwnersCredentials(String overlay) throws Exception {
        Rendered r = Rendered.overlay(overlay);
        Map<String, Object> portal = r.portalContainer();
        List<Object> portalSecrets = list(portal.get("envFrom")).stream().map(e -> at(e, "secretRef", "name"))
                .filter(Objects::nonNull).toList();
        assertFalse(portalSecrets.contains("latch-migration-secrets"), "the portal must not hold the owner's password: " + portalSecrets);
        assertEquals("false", envValue(portal, "QUARKUS_FLYWAY_MIGRATE_AT_START"), "the app role cannot migrate; the Job does");
        assertEquals("true", envValue(portal, "QUARKUS_FLYWAY_VALIDATE_AT_START"), "a pod on an unmigrated schema must not serve");

        Map<String, Object> secret = r.secret("latch-migration-secrets");
        if (secret != null) {
            Map<String, String> owner = stringMap(secret.get("stringData"));
            assertTrue(owner.keySet().containsAll(Set.of("QUARKUS_FLYWAY_USERNAME", "QUARKUS_FLYWAY_PASSWORD")), owner.keySet().toString());
            String app = stringMap(r.secret("latch-secrets").get("stringData")).get("QUARKUS_DATASOURCE_USERNAME");
            assertNotEquals(app, owner.get("QUARKUS_FLYWAY_USERNAME"), "two roles, not one under two names");
        } else {
            Map<String, Object> external = r.externalSecretFor("latch-migration-secrets");
            assertNotNull(external, overlay + " has neither a Secret nor an ExternalSecret named latch-migration-secrets");
            assertNotNull(at(external, "spec", "secretStoreRef", "name"));
        }
    }

    @Test
    void aNewImageTagIsANewMigrationJob(@TempDir Path copy) throws Exception {
        copyTree(KUSTOMIZE_ROOT, copy);
        Path kustomization = copy.resolve("overlays/production/kustomization.yaml");
        String text = Files.readString(kustomization);
        assertTrue(text.contains("newTag: 0.1.0"), "the production overlay's tag moved; update this test");
        Files.writeString(kustomization, text.replace("newTag: 0.1.0", "newTag: 0.2.0"));

        Rendered r = Rendered.of(copy.resolve("overlays/production"));
        assertEquals("0.2.0", imageTag((String) r.portalContainer().get("image")));
        assertEquals("latch-migrate-0.2.0", at(r.one("Job"), "metadata", "name"));
    }

    @Test
    void productionKeepsNoSecretInTheRepository() throws Exception {
        Rendered r = Rendered.overlay("production");
        assertTrue(r.ofKind("Secret").isEmpty(), "production secrets come from AWS Secrets Manager, not from these files");
        Map<String, Object> external = r.externalSecretFor("latch-secrets");
        assertNotNull(external, "production needs the ExternalSecret that makes latch-secrets");
        assertTrue(r.ofKind("StatefulSet").isEmpty(), "production uses RDS or Aurora, not an in-cluster database");
        String image = (String) r.portalContainer().get("image");
        assertNotEquals("ghcr.io/example/latch", image.substring(0, image.lastIndexOf(':')), "production names its own registry");
    }

    // --- checks shared by the portal and the migration Job ---

    private static void assertLockedDown(Map<String, Object> pod, Map<String, Object> container, String what) {
        Map<String, Object> podSecurity = map(pod.get("securityContext"));
        Map<String, Object> security = map(container.get("securityContext"));
        assertEquals(true, podSecurity.get("runAsNonRoot"), what + ": runAsNonRoot");
        assertTrue(podSecurity.get("runAsUser") instanceof Integer uid && uid > 0, what + ": runAsUser must be a non-root uid");
        assertEquals("RuntimeDefault", at(podSecurity, "seccompProfile", "type"), what + ": seccomp");
        assertEquals(false, security.get("allowPrivilegeEscalation"), what + ": allowPrivilegeEscalation");
        assertEquals(true, security.get("readOnlyRootFilesystem"), what + ": readOnlyRootFilesystem");
        assertEquals(List.of("ALL"), at(security, "capabilities", "drop"), what + ": drop ALL capabilities");
        assertNotEquals(true, security.get("privileged"), what + ": privileged");

        String tmpVolume = list(container.get("volumeMounts")).stream().filter(m -> "/tmp".equals(m.get("mountPath")))
                .map(m -> (String) m.get("name")).findFirst().orElseThrow(() -> new AssertionError(what + ": a read-only root needs a writable /tmp"));
        assertTrue(list(pod.get("volumes")).stream().anyMatch(v -> tmpVolume.equals(v.get("name")) && v.containsKey("emptyDir")),
                what + ": /tmp must be an emptyDir");

        String image = (String) container.get("image");
        String tag = imageTag(image);
        assertFalse(tag.isEmpty() || tag.equals("latest"), what + ": the image must be pinned by a tag, not " + image);
    }

    // --- rendering ---

    /** The objects one overlay renders to. */
    private record Rendered(List<Map<String, Object>> objects) {

        static Rendered overlay(String name) throws Exception {
            return of(KUSTOMIZE_ROOT.resolve("overlays").resolve(name));
        }

        static Rendered of(Path dir) throws Exception {
            Process process;
            try {
                process = new ProcessBuilder("kubectl", "kustomize", dir.toString()).redirectErrorStream(false).start();
            } catch (IOException e) {
                throw new AssertionError("kubectl must be on the PATH to render deploy/kubernetes", e);
            }
            var stdout = process.getInputStream().readAllBytes();
            var stderr = process.getErrorStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("kubectl kustomize " + dir + " did not finish");
            }
            assertEquals(0, process.exitValue(), "kubectl kustomize " + dir + ": " + new String(stderr, StandardCharsets.UTF_8));
            List<Map<String, Object>> objects = new ArrayList<>();
            for (Object doc : new Yaml(new LoaderOptions()).loadAll(new String(stdout, StandardCharsets.UTF_8))) {
                if (doc != null) {
                    objects.add(map(doc));
                }
            }
            return new Rendered(objects);
        }

        List<Map<String, Object>> ofKind(String kind) {
            return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
        }

        Map<String, Object> one(String kind) {
            List<Map<String, Object>> all = ofKind(kind);
            assertEquals(1, all.size(), "expected one " + kind + ", found " + all.size());
            return all.get(0);
        }

        Map<String, Object> named(String kind, String name) {
            return ofKind(kind).stream().filter(o -> name.equals(at(o, "metadata", "name"))).findFirst().orElse(null);
        }

        Map<String, Object> deployment() {
            Map<String, Object> deployment = named("Deployment", "latch");
            assertNotNull(deployment, "no Deployment named latch");
            return deployment;
        }

        Map<String, Object> portalContainer() {
            return list(at(deployment(), "spec", "template", "spec", "containers")).stream()
                    .filter(c -> "latch".equals(c.get("name"))).findFirst().orElseThrow(() -> new AssertionError("no container named latch"));
        }

        Map<String, String> portalPodLabels() {
            return stringMap(at(deployment(), "spec", "template", "metadata", "labels"));
        }

        Map<String, String> migrationPodLabels() {
            return stringMap(at(one("Job"), "spec", "template", "metadata", "labels"));
        }

        Map<String, String> portalConfig() {
            String name = list(portalContainer().get("envFrom")).stream().map(e -> (String) at(e, "configMapRef", "name"))
                    .filter(Objects::nonNull).findFirst().orElseThrow();
            return stringMap(named("ConfigMap", name).get("data"));
        }

        Map<String, Object> secret(String name) {
            return named("Secret", name);
        }

        Map<String, Object> externalSecretFor(String secretName) {
            return ofKind("ExternalSecret").stream().filter(e -> secretName.equals(at(e, "spec", "target", "name"))).findFirst().orElse(null);
        }
    }

    // --- small helpers over SnakeYAML's maps and lists ---

    private static Object at(Object node, String... path) {
        Object current = node;
        for (String key : path) {
            if (!(current instanceof Map<?, ?> m)) {
                return null;
            }
            current = m.get(key);
        }
        return current;
    }

    /** For the Deployment, where a missing field is a test failure rather than null. */
    private static Object deployment(Map<String, Object> deployment, String... path) {
        Object value = at(deployment, path);
        assertNotNull(value, String.join(".", path) + " is not set");
        return value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        return node == null ? Map.of() : (Map<String, Object>) node;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object node) {
        return node == null ? List.of() : (List<Map<String, Object>>) node;
    }

    private static Map<String, String> stringMap(Object node) {
        return map(node).entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> String.valueOf(e.getValue())));
    }

    private static boolean selects(Map<String, String> selector, Map<String, String> labels) {
        return !selector.isEmpty() && selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    /** The {@code from} entries of the ingress rules that open this port. */
    private static Set<Object> callers(Map<String, Object> policy, int port) {
        return list(at(policy, "spec", "ingress")).stream().filter(rule -> ports(rule).contains(port))
                .flatMap(rule -> list(rule.get("from")).stream()).collect(Collectors.toSet());
    }

    /** The container port a probe, Service or Ingress names (by name or number); -1 when the container has none such. */
    private static int containerPort(Map<String, Object> container, Object nameOrNumber) {
        if (nameOrNumber instanceof Integer number) {
            return number;
        }
        return list(container.get("ports")).stream().filter(p -> Objects.equals(nameOrNumber, p.get("name")))
                .map(p -> (Integer) p.get("containerPort")).findFirst().orElse(-1);
    }

    private static Set<Integer> ports(Map<String, Object> rule) {
        return list(rule.get("ports")).stream().map(p -> (Integer) p.get("port")).collect(Collectors.toSet());
    }

    private static String envValue(Map<String, Object> container, String name) {
        return list(container.get("env")).stream().filter(e -> name.equals(e.get("name"))).map(e -> (String) e.get("value"))
                .findFirst().orElse(null);
    }

    /** The tag of repo[:port]/name:tag[@digest]; empty when there is none. */
    private static String imageTag(String image) {
        String withoutDigest = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        int slash = withoutDigest.lastIndexOf('/');
        int colon = withoutDigest.lastIndexOf(':');
        return colon > slash ? withoutDigest.substring(colon + 1) : "";
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : paths.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }
}
