import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;

/** Starts an embedded PostgreSQL for the benchmark, prints its JDBC URL, and runs until killed. */
public class StartPostgres {
    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("latch-bench-pg");
        EmbeddedPostgres pg = EmbeddedPostgres.builder().setOverrideWorkingDirectory(dir.toFile())
                .setServerConfig("max_connections", "200").start();
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
