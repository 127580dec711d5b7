package dev.latch.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * The row count and a checksum of the rows of every table in the public schema, so a test can
 * show that a batch of requests changed nothing at all (not just the rows it thought of).
 * Tables are found in the catalogue, so a new table is covered without being named here.
 */
public final class TableSnapshot {

    private TableSnapshot() {
    }

    /**
     * Takes the snapshot: table name to {@code "<rows> <md5 of the sorted rows as JSON>"}.
     *
     * @param skipTables tables left out entirely (the caller says why)
     * @param skipColumns per table, columns left out of the checksum (its rows are still counted)
     */
    public static Map<String, String> take(DataSource database, Set<String> skipTables, Map<String, List<String>> skipColumns) {
        Map<String, String> snapshot = new TreeMap<>();
        try (Connection c = database.getConnection(); Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rows = s.executeQuery("SELECT table_name FROM information_schema.tables "
                    + "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name")) {
                while (rows.next()) {
                    tables.add(rows.getString(1));
                }
            }
            for (String table : tables) {
                if (skipTables.contains(table)) {
                    continue;
                }
                String minus = skipColumns.getOrDefault(table, List.of()).stream().map(col -> " - '" + col + "'")
                        .reduce("", String::concat);
                String sql = "SELECT count(*), md5(coalesce(string_agg(r, E'\\n' ORDER BY r), '')) FROM (SELECT (to_jsonb(t)"
                        + minus + ")::text AS r FROM public.\"" + table + "\" t) rows";
                try (ResultSet result = s.executeQuery(sql)) {
                    result.next();
                    snapshot.put(table, result.getLong(1) + " " + result.getString(2));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot snapshot the tables", e);
        }
        if (snapshot.size() < 10) {
            throw new IllegalStateException("expected the portal's tables in the public schema, found " + snapshot.keySet());
        }
        return snapshot;
    }
}
