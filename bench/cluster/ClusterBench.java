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
            default -> throw new IllegalArgumentException("mixed, counts or verify");
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
