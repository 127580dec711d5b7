import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latch.testing.SoftwareAuthenticator;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * bench/token: set-up over plain HTTP and the load generator, in one single-file program run with
 * the test classpath (SoftwareAuthenticator, nimbus-jose-jwt, Jackson).
 *
 * <pre>
 *   setup  PUBLIC_URL CONNECT_URL BOOTSTRAP_LINK STATE_FILE [HELPER_CONFIG_DIR helper launcher words...]
 *   load   STATE_FILE OUT_TSV WARMUP_S DURATION_S CONCURRENCY...
 * </pre>
 *
 * PUBLIC_URL is what the portal believes it is (DPoP htu, WebAuthn origin); CONNECT_URL is where
 * we connect (127.0.0.1, so no IPv6-first lookup of "localhost").
 */
public class TokenBench {

    static final ObjectMapper JSON = new ObjectMapper();
    // Any long value works for the CSRF double submit: cookie and header just have to match.
    static final String CSRF = "bench-csrf-token-0123456789abcdefghijklmnopq";
    static final String DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "setup" -> setup(args);
            case "load" -> load(args);
            default -> throw new IllegalArgumentException("setup or load");
        }
    }

    // ---------------------------------------------------------------- set-up, the way a person does it

    static void setup(String[] args) throws Exception {
        Browser web = new Browser(args[1], args[2]);
        String bootstrap = args[3];
        Path stateFile = Path.of(args[4]);
        SoftwareAuthenticator key = new SoftwareAuthenticator().origin(web.publicUrl);

        // 1. the first administrator enrols through the bootstrap link with a (software) security key
        String enrolToken = bootstrap.substring(bootstrap.lastIndexOf('/') + 1);
        JsonNode started = web.json("POST", "/enrol/" + enrolToken + "/start",
                "{\"nickname\":\"bench key\",\"username\":\"bench\",\"displayName\":\"Bench Person\",\"email\":\"bench@example.com\"}", 200);
        web.json("POST", "/enrol/finish", finish(started, key.register(started.path("publicKey"))), 200);
        if (web.session == null) {
            throw new IllegalStateException("enrolment gave no session cookie");
        }
        log("enrolled the first administrator 'bench'");

        // 2. inventory through the admin API (session cookie + CSRF header), access through the admin forms
        String account = web.json("POST", "/api/v1/admin/accounts",
                "{\"accountId\":\"111111111111\",\"name\":\"bench\",\"environment\":\"staging\",\"region\":\"eu-west-1\"}", 201)
                .path("id").asText();
        String cluster = web.json("POST", "/api/v1/admin/clusters", "{\"accountId\":\"" + account
                + "\",\"name\":\"bench-apps\",\"region\":\"eu-west-1\",\"endpoint\":\"https://bench-apps.eks.example.invalid\"}", 201)
                .path("id").asText();
        // moto does not check that the role exists; the ARN only has to be well formed
        String level = web.json("POST", "/api/v1/admin/levels", "{\"clusterId\":\"" + cluster
                + "\",\"name\":\"edit\",\"roleArn\":\"arn:aws:iam::111111111111:role/latch-edit\"}", 201).path("id").asText();
        HttpResponse<String> group = web.form("/admin/access/groups", Map.of("name", "bench-team", "description", "bench"), 303);
        String groupId = group.headers().firstValue("Location").orElseThrow().replaceAll(".*/groups/", "");
        web.form("/admin/access/groups/" + groupId + "/members", Map.of("username", "bench"), 303);
        web.form("/admin/access/entitlements", Map.of("group", groupId, "level", level, "mode", "standing", "maxHours", "8",
                "approvals", "0"), 303);
        log("created account, cluster bench-apps, level edit, group bench-team with a standing entitlement");

        // 3. download a kubeconfig from the dashboard's button; its exec args carry the issuance id
        String kubeconfig = web.form("/kube/issuances", Map.of("level", level), 200).body();
        Matcher m = Pattern.compile("--issuance\\W+([0-9a-f-]{36})").matcher(kubeconfig);
        if (!m.find()) {
            throw new IllegalStateException("no issuance id in the kubeconfig:\n" + kubeconfig);
        }
        String issuance = m.group(1);
        log("downloaded a kubeconfig, issuance " + issuance);

        // 4. the device flow with DPoP, approved on /device after a fresh key touch
        Dpop dpop = new Dpop(new ECKeyGenerator(Curve.P_256).generate(), web.publicUrl);
        JsonNode codes = web.json("POST", "/oauth/device_authorization", null, 200,
                Map.of("client_id", "latch-cli", "client_name", "bench", "host_name", "bench", "os", "Linux"));
        approve(web, key, codes.path("user_code").asText());
        HttpResponse<String> tokens = web.send(web.request("/oauth/token").header("DPoP", dpop.proof("POST", "/oauth/token", null))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(formBody(Map.of("grant_type", DEVICE_GRANT, "client_id", "latch-cli",
                        "device_code", codes.path("device_code").asText())))).build(), 200);
        JsonNode issued = JSON.readTree(tokens.body());
        log("device flow done: DPoP access token for bench");

        Properties state = new Properties();
        state.setProperty("public_url", web.publicUrl);
        state.setProperty("connect_url", web.connectUrl);
        state.setProperty("issuance", issuance);
        state.setProperty("access_token", issued.path("access_token").asText());
        state.setProperty("refresh_token", issued.path("refresh_token").asText());
        state.setProperty("dpop_jwk", dpop.key.toJSONString());
        state.setProperty("session", web.session); // the browser session, for dashboard load (bench/cluster)
        try (var out = Files.newBufferedWriter(stateFile)) {
            state.store(out, "bench/token state (secrets of a throw-away portal)");
        }

        // 5. optionally sign the latch helper in the same way: `latch login --no-browser`, approved here
        if (args.length > 6) {
            helperLogin(web, key, Path.of(args[5]), Arrays.copyOfRange(args, 6, args.length));
        }
    }

    /** /device: look the code up, touch the key (step-up made after the request), approve. */
    static void approve(Browser web, SoftwareAuthenticator key, String userCode) throws Exception {
        String page = web.form("/device/lookup", Map.of("user_code", userCode), 200).body();
        Matcher m = Pattern.compile("/device/([0-9a-f-]{36})/approve").matcher(page);
        if (!m.find()) {
            throw new IllegalStateException("no approve button for " + userCode + ":\n" + page);
        }
        JsonNode stepUp = web.json("POST", "/step-up/start", "", 200);
        ObjectNode finish = (ObjectNode) JSON.readTree(finish(stepUp, key.assertion(stepUp.path("publicKey"))));
        finish.put("next", "/");
        web.json("POST", "/step-up/finish", finish.toString(), 200);
        String done = web.send(web.request("/device/" + m.group(1) + "/approve").header("HX-Request", "true")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), 200).body();
        if (!done.contains("is signed in")) {
            throw new IllegalStateException("approval page did not confirm:\n" + done);
        }
    }

    static void helperLogin(Browser web, SoftwareAuthenticator key, Path configHome, String[] launcher) throws Exception {
        List<String> command = new ArrayList<>(Arrays.asList(launcher));
        command.addAll(List.of("login", "--no-browser", "--portal", web.publicUrl));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("XDG_CONFIG_HOME", configHome.toString());
        builder.environment().put("LATCH_NO_BROWSER", "1");
        Process process = builder.start();
        StringBuilder stderr = new StringBuilder();
        String code = null;
        try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = err.readLine()) != null; ) {
                stderr.append(line).append('\n');
                Matcher m = Pattern.compile("enter the code (\\S+)").matcher(line);
                if (code == null && m.find()) {
                    code = m.group(1);
                    approve(web, key, code);
                }
            }
        }
        if (!process.waitFor(90, TimeUnit.SECONDS) || process.exitValue() != 0 || code == null) {
            throw new IllegalStateException("latch login failed:\n" + stderr);
        }
        log("latch helper signed in: " + stderr.toString().trim().replace('\n', ' '));
    }

    static String finish(JsonNode started, String credential) {
        return "{\"ceremonyId\":\"" + started.path("ceremonyId").asText() + "\",\"credential\":" + credential + "}";
    }

    // ---------------------------------------------------------------- load

    /** What one request of a phase looks like. The proof is signed for every target: same client cost. */
    record Target(String name, String path, String query, boolean authenticated) {
    }

    static void load(String[] args) throws Exception {
        Properties state = new Properties();
        try (var in = Files.newBufferedReader(Path.of(args[1]))) {
            state.load(in);
        }
        Path out = Path.of(args[2]);
        int warmup = Integer.parseInt(args[3]);
        int duration = Integer.parseInt(args[4]);
        int[] concurrencies = Arrays.stream(args, 5, args.length).mapToInt(Integer::parseInt).toArray();
        Dpop dpop = new Dpop(ECKey.parse(state.getProperty("dpop_jwk")), state.getProperty("public_url"));
        Loader loader = new Loader(state, dpop);
        List<Target> targets = List.of(
                new Target("kube token (warm STS cache)", "/api/v1/kube/token", "?issuance=" + state.getProperty("issuance"), true),
                new Target("GET /api/v1/me (same DPoP auth)", "/api/v1/me", "", true),
                // health moved to the management port (issue 13); a static file is the portal port's no-auth baseline now
                new Target("GET /static/css/latch.css (no auth)", "/static/css/latch.css", "", false));

        // one request first: fills the STS role-session cache (the first mint calls AssumeRole on moto)
        loader.refresh();
        HttpResponse<String> first = loader.client.send(loader.request(targets.get(0)), HttpResponse.BodyHandlers.ofString());
        if (first.statusCode() != 200 || !first.body().contains("k8s-aws-v1.")) {
            throw new IllegalStateException("the token endpoint does not answer an ExecCredential: " + first.statusCode() + " " + first.body());
        }
        log("first token: " + first.body());
        for (Target target : targets) {
            Result r = loader.run(target, concurrencies[concurrencies.length - 1], target == targets.get(0) ? warmup : Math.max(2, warmup / 2));
            log("warm-up " + target.name + ": " + r.summary());
        }
        try (PrintWriter tsv = new PrintWriter(Files.newBufferedWriter(out))) {
            tsv.println("target\tconcurrency\tseconds\tok\terrors\treq_per_s\tp50_ms\tp90_ms\tp99_ms\tmax_ms\terror_kinds");
            for (int c : concurrencies) {
                for (Target target : targets) {
                    loader.refresh(); // a fresh 10-minute access token per phase, so any DURATION works
                    Result r = loader.run(target, c, duration);
                    log(target.name + " x" + c + ": " + r.summary());
                    tsv.printf("%s\t%d\t%.1f\t%d\t%d\t%.0f\t%.2f\t%.2f\t%.2f\t%.2f\t%s%n", target.name, c, r.seconds, r.ok, r.errors,
                            r.ok / r.seconds, r.percentile(50), r.percentile(90), r.percentile(99), r.percentile(100), r.errorKinds);
                    tsv.flush();
                }
            }
        }
    }

    record Result(double seconds, long ok, long errors, long[] latencies, String errorKinds) {
        double percentile(double p) {
            if (latencies.length == 0) {
                return Double.NaN;
            }
            int index = (int) Math.ceil(p / 100.0 * latencies.length) - 1;
            return latencies[Math.max(0, Math.min(latencies.length - 1, index))] / 1e6;
        }

        String summary() {
            return String.format("%.0f req/s, p50 %.2f ms, p99 %.2f ms, %d errors %s", ok / seconds, percentile(50), percentile(99), errors,
                    errorKinds);
        }
    }

    /** A fixed number of workers, each sending one request at a time (closed loop), for a fixed time. */
    static final class Loader {
        final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        final Properties state;
        final Dpop dpop;
        volatile String accessToken;
        volatile String ath;

        Loader(Properties state, Dpop dpop) {
            this.state = state;
            this.dpop = dpop;
        }

        HttpRequest request(Target target) {
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(state.getProperty("connect_url") + target.path + target.query))
                    .timeout(Duration.ofSeconds(30)).GET();
            String proof = dpop.proof("GET", target.path, ath);
            if (target.authenticated) {
                builder.header("Authorization", "DPoP " + accessToken);
            }
            return builder.header("DPoP", proof).build(); // the unauthenticated baseline carries it too, unread
        }

        /** refresh_token grant with DPoP (the refresh token rotates). */
        void refresh() throws Exception {
            HttpRequest request = HttpRequest.newBuilder(URI.create(state.getProperty("connect_url") + "/oauth/token"))
                    .header("DPoP", dpop.proof("POST", "/oauth/token", null)).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(formBody(Map.of("grant_type", "refresh_token", "client_id", "latch-cli",
                            "refresh_token", state.getProperty("refresh_token"))))).build();
            HttpResponse<String> answer = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new IllegalStateException("refresh failed: " + answer.statusCode() + " " + answer.body());
            }
            JsonNode tokens = JSON.readTree(answer.body());
            state.setProperty("refresh_token", tokens.path("refresh_token").asText());
            accessToken = tokens.path("access_token").asText();
            ath = Dpop.hash(accessToken);
        }

        Result run(Target target, int workers, int seconds) throws Exception {
            long start = System.nanoTime();
            long end = start + TimeUnit.SECONDS.toNanos(seconds);
            List<long[]> perWorker = new ArrayList<>();
            long[] errors = new long[workers];
            Map<String, Integer> kinds = new java.util.concurrent.ConcurrentHashMap<>();
            Thread[] threads = new Thread[workers];
            long[][] buffers = new long[workers][];
            int[] counts = new int[workers];
            for (int w = 0; w < workers; w++) {
                int me = w;
                buffers[me] = new long[1 << 16];
                threads[w] = new Thread(() -> {
                    while (System.nanoTime() < end) {
                        HttpRequest request = request(target); // signing is outside the timed part, inside the throughput
                        long t0 = System.nanoTime();
                        String kind = null;
                        try {
                            HttpResponse<byte[]> answer = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                            if (answer.statusCode() != 200) {
                                kind = "HTTP " + answer.statusCode();
                            }
                        } catch (Exception e) {
                            kind = e.getClass().getSimpleName();
                        }
                        long took = System.nanoTime() - t0;
                        if (kind != null) {
                            errors[me]++;
                            kinds.merge(kind, 1, Integer::sum);
                            continue;
                        }
                        if (counts[me] == buffers[me].length) {
                            buffers[me] = Arrays.copyOf(buffers[me], buffers[me].length * 2);
                        }
                        buffers[me][counts[me]++] = took;
                    }
                }, "load-" + w);
                threads[w].start();
            }
            for (Thread t : threads) {
                t.join();
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            long total = 0;
            for (int w = 0; w < workers; w++) {
                perWorker.add(Arrays.copyOf(buffers[w], counts[w]));
                total += counts[w];
            }
            long[] all = new long[(int) total];
            int at = 0;
            for (long[] part : perWorker) {
                System.arraycopy(part, 0, all, at, part.length);
                at += part.length;
            }
            Arrays.sort(all);
            return new Result(elapsed, total, Arrays.stream(errors).sum(), all,
                    kinds.isEmpty() ? "" : kinds.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(",")));
        }
    }

    // ---------------------------------------------------------------- DPoP proofs (RFC 9449), as the helper makes them

    static final class Dpop {
        final ECKey key;
        final String publicUrl;
        final JWSHeader header;
        final ThreadLocal<ECDSASigner> signer;

        Dpop(ECKey key, String publicUrl) {
            this.key = key;
            this.publicUrl = publicUrl;
            this.header = new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("dpop+jwt")).jwk(key.toPublicJWK()).build();
            this.signer = ThreadLocal.withInitial(() -> {
                try {
                    return new ECDSASigner(key);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        /** A fresh proof: new jti, this method and URL (no query), now, and the token's hash when there is one. */
        String proof(String method, String path, String ath) {
            try {
                JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().claim("htm", method).claim("htu", publicUrl + path)
                        .issueTime(new Date()).jwtID(UUID.randomUUID().toString());
                if (ath != null) {
                    claims.claim("ath", ath);
                }
                SignedJWT jwt = new SignedJWT(header, claims.build());
                jwt.sign(signer.get());
                return jwt.serialize();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        static String hash(String accessToken) throws Exception {
            return Base64URL.encode(MessageDigest.getInstance("SHA-256").digest(accessToken.getBytes(StandardCharsets.US_ASCII))).toString();
        }
    }

    // ---------------------------------------------------------------- a browser without a browser

    /** Session cookie and CSRF double submit, no redirects followed, as a signed-in page sends requests. */
    static final class Browser {
        final String publicUrl;
        final String connectUrl;
        final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String session;

        Browser(String publicUrl, String connectUrl) {
            this.publicUrl = publicUrl;
            this.connectUrl = connectUrl;
        }

        HttpRequest.Builder request(String path) {
            String cookies = "latch-csrf=" + CSRF + (session == null ? "" : "; latch-session=" + session);
            return HttpRequest.newBuilder(URI.create(connectUrl + path)).header("Cookie", cookies).header("X-CSRF-Token", CSRF)
                    .timeout(Duration.ofSeconds(30));
        }

        HttpResponse<String> send(HttpRequest request, int expected) throws Exception {
            HttpResponse<String> answer = client.send(request, HttpResponse.BodyHandlers.ofString());
            for (String cookie : answer.headers().allValues("Set-Cookie")) {
                if (cookie.startsWith("latch-session=")) {
                    session = cookie.substring("latch-session=".length(), cookie.indexOf(';'));
                }
            }
            if (expected >= 0 && answer.statusCode() != expected) { // expected < 0: any status (bench/cluster's writer)
                throw new IllegalStateException(request.method() + " " + request.uri() + " answered " + answer.statusCode()
                        + " (expected " + expected + "): " + answer.body());
            }
            return answer;
        }

        JsonNode json(String method, String path, String body, int expected) throws Exception {
            HttpRequest.Builder builder = request(path).header("Accept", "application/json");
            if (body != null) {
                builder.header("Content-Type", "application/json");
            }
            builder.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            String text = send(builder.build(), expected).body();
            return text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
        }

        JsonNode json(String method, String path, String ignored, int expected, Map<String, String> form) throws Exception {
            HttpRequest request = request(path).header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(formBody(form))).build();
            return JSON.readTree(send(request, expected).body());
        }

        HttpResponse<String> form(String path, Map<String, String> fields, int expected) throws Exception {
            Map<String, String> withCsrf = new LinkedHashMap<>(fields);
            withCsrf.put("_csrf", CSRF);
            return send(request(path).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(formBody(withCsrf))).build(), expected);
        }
    }

    static String formBody(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    static void log(String line) {
        System.err.println("   " + line);
    }
}
