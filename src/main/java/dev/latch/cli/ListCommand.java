package dev.latch.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** {@code latch ls}: what you can reach and at which levels, as an aligned table (or the raw JSON). */
final class ListCommand {

    private static final String[] HEADER = {"ENVIRONMENT", "KIND", "NAME", "ACCOUNT", "LEVELS"};

    private final SignedInPortal portal;
    private final PrintStream out;
    private final boolean json;

    ListCommand(SignedInPortal portal, PrintStream out, boolean json) {
        this.portal = portal;
        this.out = out;
        this.json = json;
    }

    int run() {
        PortalClient.Answer answer = portal.get("/api/v1/access");
        if (answer.status() != 200) {
            throw SignedInPortal.refusal(answer);
        }
        if (json) {
            out.println(answer.text().strip());
            return 0;
        }
        out.print(table(AccessTarget.parse(answer.body())));
        return 0;
    }

    static String table(List<AccessTarget> targets) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (AccessTarget target : targets) {
            StringBuilder levels = new StringBuilder();
            for (AccessTarget.Level level : target.levels()) {
                levels.append(levels.length() == 0 ? "" : ", ").append(level.name()).append(" (").append(level.state()).append(')');
            }
            String account = target.account() == null ? "-" : target.account()
                    + (target.accountId() == null ? "" : " (" + target.accountId() + ")");
            rows.add(new String[] {orDash(target.environment()), orDash(target.kind()), orDash(target.name()), account,
                    levels.length() == 0 ? "-" : levels.toString()});
        }
        int[] widths = new int[HEADER.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder table = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(row[i]);
                if (i < row.length - 1) {
                    line.append(" ".repeat(widths[i] - row[i].length() + 2));
                }
            }
            table.append(line.toString().stripTrailing()).append('\n');
        }
        return table.toString();
    }

    private static String orDash(String value) {
        return value == null || value.isEmpty() ? "-" : value;
    }
}
