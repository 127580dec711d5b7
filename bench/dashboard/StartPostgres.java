import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Starts an embedded PostgreSQL for the benchmark, prints its JDBC URL, and runs until killed.
 *
 * <pre>
 *   StartPostgres                      a fresh database in a new temporary directory, any free port
 *   StartPostgres DATA_DIR PORT BIN_DIR  that data directory (kept on exit) and port: run it again with
 *                                      the same arguments to bring the same database back (bench/cluster)
 * </pre>
 */
public class StartPostgres {
    public static void main(String[] args) throws Exception {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setServerConfig("max_connections", "200");
        if (args.length >= 3) {
            builder.setDataDirectory(Path.of(args[0])).setCleanDataDirectory(false).setPort(Integer.parseInt(args[1]))
                    .setOverrideWorkingDirectory(Path.of(args[2]).toFile());
        } else {
            builder.setOverrideWorkingDirectory(Files.createTempDirectory("latch-bench-pg").toFile());
        }
        EmbeddedPostgres pg = builder.start();
        System.out.println(pg.getJdbcUrl("postgres", "postgres"));
        System.out.println("PORT " + pg.getPort());
        System.out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                pg.close();
            } catch (Exception ignored) {
                // exiting
            }
        }));
        Thread.currentThread().join();
    }
}
