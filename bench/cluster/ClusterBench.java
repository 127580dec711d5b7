import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * bench/cluster: mixed load through the load balancer, row counts and the audit chain check.
 * Compiled together with bench/token/TokenBench.java, whose set-up, DPoP signer, token refresh and
 * browser it reuses (same unnamed package).
 *
 * <pre>
 *   mixed  STATE_FILE OUT_PREFIX DURATION_S WORKERS   half token mints, half dashboard views
 *   counts JDBC_URL ISSUANCE_ID                         row counts that must never go down
 *   verify STATE_FILE                                   GET /api/v1/admin/audit/verify with the admin session
 *   hooks  PORT FILE                                    webhook receiver: POST /hook appended to FILE, one a line:
 *                                                       time ms, Idempotency-Key header (the outbox row id), body
 *   writer STATE_FILE JDBC OUT_PREFIX DURATION_S EVERY_MS
 *          enrols an approver (the bench person's manager), makes a level requestable, then files a request and
 *          approves it with the approver's key every EVERY_MS; OUT_PREFIX.writes.tsv (every call) and
 *          OUT_PREFIX.acked.txt (request ids whose approval answered 2xx)
 *   writecheck JDBC OUT_PREFIX HOOKS_FILE WAIT_S         after the outbox drained: acknowledged approvals against rows
 * </pre>
 *
 * mixed writes OUT_PREFIX.requests.tsv (one line per request: end time in epoch ms, t|d, HTTP status or
 * exception name, latency µs) so the shell can cut it by the times of a fault, and OUT_PREFIX.summary.tsv.
 */
public class ClusterBench {

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "mixed" -> mixed(args);
            case "counts" -> counts(args[1], args[2]);
            case "verify" -> verify(args[1]);
            case "hooks" -> hooks(Integer.parseInt(args[1]), Path.of(args[2]));
            case "writer" -> writer(args[1], args[2], args[3], Integer.parseInt(args[4]), Integer.parseInt(args[5]));
            case "writecheck" -> writecheck(args[1], args[2], Path.of(args[3]), Integer.parseInt(args[4]));
            default -> throw new IllegalArgumentException("mixed, counts, verify, hooks, writer or writecheck");
        }
    }

    record Sample(long endMillis, char kind, String status, long micros) {
    }

    static void mixed(String[] args) throws Exception {
        Properties state = load(args[1]);
        String prefix = args[2];
        int seconds = Integer.parseInt(args[3]);
        int workers = Integer.parseInt(args[4]);
        TokenBench.Dpop dpop = new TokenBench.Dpop(com.nimbusds.jose.jwk.ECKey.parse(state.getProperty("dpop_jwk")),
                state.getProperty("public_url"));
        TokenBench.Loader loader = new TokenBench.Loader(state, dpop);
        // A fresh 10-minute access token for this phase (the refresh token rotates; the state file is updated
        // so the next phase, a separate process, uses the new one).
        loader.refresh();
        store(state, args[1]);
        TokenBench.Target token = new TokenBench.Target("token", "/api/v1/kube/token", "?issuance=" + state.getProperty("issuance"), true);
        String dashboardUrl = state.getProperty("connect_url") + "/";
        String cookie = "latch-session=" + state.getProperty("session");

        ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long started = System.currentTimeMillis();
        Thread[] threads = new Thread[workers];
        for (int w = 0; w < workers; w++) {
            int me = w;
            threads[w] = new Thread(() -> {
                // Each worker alternates, starting half of them on each kind: an even 50/50 mix at any moment.
                boolean mint = me % 2 == 0;
                while (System.nanoTime() < end) {
                    HttpRequest request = mint ? loader.request(token)
                            : HttpRequest.newBuilder(URI.create(dashboardUrl)).header("Cookie", cookie).header("Accept", "text/html")
                                    .timeout(Duration.ofSeconds(30)).GET().build();
                    long t0 = System.nanoTime();
                    String status;
                    try {
                        HttpResponse<byte[]> answer = loader.client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                        status = Integer.toString(answer.statusCode());
                    } catch (Exception e) {
                        status = e.getClass().getSimpleName();
                    }
                    samples.add(new Sample(System.currentTimeMillis(), mint ? 't' : 'd', status, (System.nanoTime() - t0) / 1000));
                    mint = !mint;
                }
            }, "mixed-" + w);
            threads[w].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        double elapsed = (System.currentTimeMillis() - started) / 1000.0;

        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(Path.of(prefix + ".requests.tsv")))) {
            for (Sample s : samples) {
                out.printf("%d\t%c\t%s\t%d%n", s.endMillis, s.kind, s.status, s.micros);
            }
        }
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(Path.of(prefix + ".summary.tsv")))) {
            out.println("target\tworkers\tseconds\tok\terrors\treq_per_s\tp50_ms\tp99_ms\tmax_ms\tstatuses");
            for (String target : List.of("all", "token", "dashboard")) {
                List<Sample> mine = samples.stream().filter(s -> target.equals("all") || s.kind == target.charAt(0)).toList();
                long[] ok = mine.stream().filter(s -> s.status.startsWith("2")).mapToLong(Sample::micros).sorted().toArray();
                Map<String, Long> statuses = new TreeMap<>();
                mine.forEach(s -> statuses.merge(s.status, 1L, Long::sum));
                String line = String.format("%s\t%d\t%.1f\t%d\t%d\t%.0f\t%.2f\t%.2f\t%.2f\t%s", target, workers, elapsed, ok.length,
                        mine.size() - ok.length, ok.length / elapsed, pct(ok, 50), pct(ok, 99), pct(ok, 100), statuses);
                out.println(line);
                TokenBench.log(line);
            }
        }
    }

    /** Latency percentile in ms over the successful requests (errors are counted, not timed). */
    static double pct(long[] sortedMicros, double p) {
        if (sortedMicros.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100.0 * sortedMicros.length) - 1;
        return sortedMicros[Math.max(0, Math.min(sortedMicros.length - 1, i))] / 1000.0;
    }

    /** key=value lines; the shell compares them before and after a fault. */
    static void counts(String jdbc, String issuance) throws Exception {
        Map<String, String> queries = new java.util.LinkedHashMap<>();
        queries.put("audit_event", "select count(*) from audit_event");
        queries.put("audit_max_seq", "select coalesce(max(seq), 0) from audit_event");
        queries.put("audit_minted_ok", "select count(*) from audit_event where action = 'kube.token.minted' and outcome = 'success'");
        queries.put("issuance_token_count", "select token_count from kube_issuance where id = '" + java.util.UUID.fromString(issuance) + "'");
        queries.put("access_grant", "select count(*) from access_grant");
        queries.put("notification_outbox", "select count(*) from notification_outbox");
        try (Connection c = DriverManager.getConnection(jdbc); Statement st = c.createStatement()) {
            for (var q : queries.entrySet()) {
                try (ResultSet rs = st.executeQuery(q.getValue())) {
                    rs.next();
                    System.out.println(q.getKey() + "=" + rs.getLong(1));
                }
            }
        }
    }

    static void verify(String stateFile) throws Exception {
        Properties state = load(stateFile);
        TokenBench.Browser web = new TokenBench.Browser(state.getProperty("public_url"), state.getProperty("connect_url"));
        web.session = state.getProperty("session");
        System.out.println(web.json("GET", "/api/v1/admin/audit/verify", null, 200).toString());
    }

    // ---------------------------------------------------------------- writes under the fault (grants, audit, notifications)

    /** The webhook: every body on one line (line breaks escaped), appended as it arrives. */
    static void hooks(int port, Path file) throws Exception {
        var out = Files.newBufferedWriter(file);
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            synchronized (out) {
                out.write(System.currentTimeMillis() + "\t" + exchange.getRequestHeaders().getFirst("Idempotency-Key") + "\t"
                        + body.replace("\n", "\\n") + "\n");
                out.flush();
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        TokenBench.log("webhook receiver on 127.0.0.1:" + port + "/hook, bodies to " + file);
        Thread.currentThread().join(); // until killed
    }

    static final String WRITE_LEVEL = "bench-writes";

    static void writer(String stateFile, String jdbc, String prefix, int seconds, int everyMillis) throws Exception {
        Properties state = load(stateFile);
        String url = state.getProperty("public_url");
        TokenBench.Browser bench = new TokenBench.Browser(url, state.getProperty("connect_url"));
        bench.session = state.getProperty("session");
        TokenBench.Browser approver = new TokenBench.Browser(url, state.getProperty("connect_url"));
        dev.latch.testing.SoftwareAuthenticator key = new dev.latch.testing.SoftwareAuthenticator().origin(url);

        // 1. the approver: an invitation written into the database (as the admin UI would), enrolled over HTTP
        String username = "approver";
        String token = dev.latch.support.Secrets.newSecret();
        java.util.UUID level = java.util.UUID.randomUUID();
        try (Connection c = DriverManager.getConnection(jdbc)) {
            sql(c, "insert into invitation (id, token_hash, username, display_name, created_at, expires_at, is_admin) "
                    + "values (?, ?, ?, 'Bench Approver', now(), now() + interval '1 hour', false)", java.util.UUID.randomUUID(),
                    dev.latch.support.Secrets.hash(token), username);
        }
        com.fasterxml.jackson.databind.JsonNode started = approver.json("POST", "/enrol/" + token + "/start", "{\"nickname\":\"approver key\"}", 200);
        approver.json("POST", "/enrol/finish", TokenBench.finish(started, key.register(started.path("publicKey"))), 200);
        // 2. a second level of the bench cluster, requestable by bench-team with the manager's approval (no
        //    approval step = manager only), and the approver as the bench person's manager
        try (Connection c = DriverManager.getConnection(jdbc)) {
            sql(c, "insert into access_level (id, account_id, cluster_id, name, role_arn) select ?, account_id, cluster_id, ?, "
                    + "'arn:aws:iam::111111111111:role/latch-writes' from access_level where name = 'edit'", level, WRITE_LEVEL);
            sql(c, "insert into entitlement (id, group_id, access_level_id, mode, max_duration) select ?, id, ?, 'requestable', "
                    + "interval '8 hours' from app_group where name = 'bench-team'", java.util.UUID.randomUUID(), level);
            sql(c, "update app_user set manager_id = (select id from app_user where username = ?) where username = 'bench'", username);
        }
        TokenBench.log("enrolled 'approver' (bench's manager); level " + WRITE_LEVEL + " requestable by bench-team");

        // 3. the loop: file, approve (start + finish with the approver's key), every everyMillis
        List<String> lines = new java.util.ArrayList<>();
        List<String> acked = new java.util.ArrayList<>();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        String pending = null;
        int n = 0;
        while (System.nanoTime() < end) {
            long next = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(everyMillis);
            n++;
            if (pending == null) {
                HttpResponse<String> a = call(lines, "create", null, () -> bench.send(bench.request("/requests")
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(TokenBench.formBody(Map.of("level", level.toString(), "duration", "1h",
                                "reason", "bench write", "_csrf", TokenBench.CSRF)))).build(), -1));
                if (a != null && a.statusCode() == 303) {
                    pending = a.headers().firstValue("Location").orElseThrow().replaceAll(".*/requests/", "");
                } else if (a != null && a.statusCode() == 409) {
                    // filed earlier without our hearing the answer: pick that request up
                    try (Connection c = DriverManager.getConnection(jdbc); Statement st = c.createStatement();
                         ResultSet rs = st.executeQuery("select r.id from access_request r join app_user u on u.id = r.requester_id "
                                 + "where u.username = 'bench' and r.status = 'pending'")) {
                        pending = rs.next() ? rs.getString(1) : null;
                    } catch (Exception e) {
                        // the database is down; next round
                    }
                }
            }
            if (pending != null) {
                String id = pending;
                HttpResponse<String> s = call(lines, "start", id, () -> approver.send(approver.request("/requests/" + id + "/decision/start")
                        .header("Content-Type", "application/json").header("Accept", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"decision\":\"approve\"}")).build(), -1));
                if (s != null && s.statusCode() == 200) {
                    com.fasterxml.jackson.databind.JsonNode challenge = TokenBench.JSON.readTree(s.body());
                    String body = TokenBench.finish(challenge, key.assertion(challenge.path("publicKey")));
                    HttpResponse<String> f = call(lines, "finish", id, () -> approver.send(approver.request("/requests/" + id + "/decision/finish")
                            .header("Content-Type", "application/json").header("Accept", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), -1));
                    if (f != null && f.statusCode() / 100 == 2) {
                        acked.add(id);
                        pending = null;
                    }
                } else if (s != null && (s.statusCode() == 409 || s.statusCode() == 404)) {
                    pending = null; // decided already (an approval that committed unheard) or gone: file a new one
                }
            }
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                Thread.sleep(sleep / 1_000_000);
            }
        }
        Files.write(Path.of(prefix + ".writes.tsv"), lines);
        Files.write(Path.of(prefix + ".acked.txt"), acked);
        TokenBench.log("writer: " + n + " rounds, " + acked.size() + " approvals acknowledged");
    }

    interface Call {
        HttpResponse<String> send() throws Exception;
    }

    /** One write call: end time ms, op, status (or exception name), request id, latency ms. */
    static HttpResponse<String> call(List<String> lines, String op, String id, Call call) {
        long t0 = System.nanoTime();
        HttpResponse<String> answer = null;
        String status;
        try {
            answer = call.send();
            status = Integer.toString(answer.statusCode());
        } catch (Exception e) {
            status = e.getClass().getSimpleName();
        }
        lines.add(System.currentTimeMillis() + "\t" + op + "\t" + status + "\t" + (id == null ? "-" : id) + "\t"
                + (System.nanoTime() - t0) / 1_000_000);
        return answer;
    }

    static void sql(Connection c, String sql, Object... values) throws Exception {
        try (var statement = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                statement.setObject(i + 1, values[i]);
            }
            statement.executeUpdate();
        }
    }

    static long number(Connection c, String sql, Object... values) throws Exception {
        try (var statement = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                statement.setObject(i + 1, values[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * After the run: waits (up to waitSeconds) until no webhook row of the writer's requests is due, then counts, for
     * every acknowledged approval, its grant, its request.approved audit row, its outbox rows and webhook bodies; and for
     * every request of the level in the database, webhook bodies per event (each must be exactly 1).
     */
    static void writecheck(String jdbc, String prefix, Path hooksFile, int waitSeconds) throws Exception {
        List<String> acked = Files.readAllLines(Path.of(prefix + ".acked.txt"));
        try (Connection c = DriverManager.getConnection(jdbc)) {
            String mine = "select r.id::text from access_request r join access_level l on l.id = r.access_level_id where l.name = '" + WRITE_LEVEL + "'";
            long deadline = System.currentTimeMillis() + waitSeconds * 1000L;
            long due;
            while ((due = number(c, "select count(*) from notification_outbox where channel = 'webhook' and delivered_at is null "
                    + "and failed_at is null")) > 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(500);
            }
            Thread.sleep(3000); // time for a second, wrong delivery to show up
            List<String> bodies = Files.readAllLines(hooksFile);
            Map<String, Integer> hooks = new TreeMap<>(); // "created:<id>" / "decided:<id>" -> bodies
            Map<String, java.util.Set<String>> keys = new TreeMap<>(); // the same -> distinct Idempotency-Keys
            java.util.regex.Pattern link = java.util.regex.Pattern.compile("/requests/([0-9a-f-]{36})");
            int other = 0;
            for (String b : bodies) {
                java.util.regex.Matcher m = link.matcher(b);
                String kind = b.contains("Access request:") ? "created" : b.contains("Your request for") ? "decided" : null;
                if (m.find() && kind != null) {
                    hooks.merge(kind + ":" + m.group(1), 1, Integer::sum);
                    keys.computeIfAbsent(kind + ":" + m.group(1), k -> new java.util.TreeSet<>()).add(b.split("\t", 3)[1]);
                } else {
                    other++;
                }
            }
            long grants = 0, approvedAudit = 0, decidedRows = 0, decidedHooksOne = 0;
            List<String> missing = new java.util.ArrayList<>();
            for (String id : acked) {
                java.util.UUID u = java.util.UUID.fromString(id);
                long g = number(c, "select count(*) from access_grant where request_id = ?", u);
                long a = number(c, "select count(*) from audit_event where action = 'request.approved' and target_id = ?", id);
                long o = number(c, "select count(*) from notification_outbox where event_key = ? and channel = 'webhook'", "request.decided:" + id);
                int h = hooks.getOrDefault("decided:" + id, 0);
                grants += g;
                approvedAudit += a;
                decidedRows += o;
                decidedHooksOne += h == 1 ? 1 : 0;
                if (g != 1 || a != 1 || o != 1 || h != 1) {
                    missing.add(id + " grant=" + g + " audit=" + a + " outbox=" + o + " webhooks=" + h);
                }
            }
            // every committed request of the level: one webhook body per committed outbox row, never two
            Map<String, Long> perEvent = new TreeMap<>();
            long committed = 0, approvedInDb = 0, rowsInDb = 0;
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(mine)) {
                List<String> ids = new java.util.ArrayList<>();
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
                committed = ids.size();
                for (String id : ids) {
                    approvedInDb += number(c, "select count(*) from access_request where id = ? and status = 'approved'", java.util.UUID.fromString(id));
                    for (String kind : List.of("created", "decided")) {
                        long rows = number(c, "select count(*) from notification_outbox where event_key = ? and channel = 'webhook'",
                                "request." + kind + ":" + id);
                        rowsInDb += rows;
                        int h = hooks.getOrDefault(kind + ":" + id, 0);
                        int k = keys.getOrDefault(kind + ":" + id, java.util.Set.of()).size();
                        perEvent.merge(kind + " rows=" + rows + " webhooks=" + h + " distinct_keys=" + k, 1L, Long::sum);
                    }
                }
            }
            System.out.println("acked_approvals=" + acked.size());
            System.out.println("acked_with_grant=" + grants);
            System.out.println("acked_with_audit_request_approved=" + approvedAudit);
            System.out.println("acked_with_decided_outbox_row=" + decidedRows);
            System.out.println("acked_with_exactly_one_decided_webhook=" + decidedHooksOne);
            System.out.println("acked_missing=" + (missing.isEmpty() ? "none" : String.join("; ", missing)));
            System.out.println("requests_in_db=" + committed);
            System.out.println("requests_approved_in_db=" + approvedInDb);
            System.out.println("webhook_outbox_rows=" + rowsInDb);
            System.out.println("webhook_rows_still_due=" + due);
            System.out.println("webhook_rows_failed=" + number(c, "select count(*) from notification_outbox where failed_at is not null"));
            System.out.println("webhook_bodies_total=" + bodies.size() + " (not about a writer request: " + other + ")");
            System.out.println("events_by_rows_and_webhooks=" + perEvent);
            keys.forEach((event, k) -> {
                if (hooks.get(event) > 1) {
                    System.out.println("resent=" + event + " bodies=" + hooks.get(event) + " distinct_idempotency_keys=" + k.size());
                }
            });
        }
    }

    static Properties load(String file) throws Exception {
        Properties state = new Properties();
        try (var in = Files.newBufferedReader(Path.of(file))) {
            state.load(in);
        }
        return state;
    }

    static void store(Properties state, String file) throws Exception {
        try (var out = Files.newBufferedWriter(Path.of(file))) {
            state.store(out, "bench/cluster state (secrets of a throw-away portal)");
        }
    }
}
