package dev.latch.cli;

import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Parses the command line and runs one command. Returns the exit code; never throws. */
public final class Latch {

    static final String VERSION = Latch.class.getPackage().getImplementationVersion() != null
            ? Latch.class.getPackage().getImplementationVersion() : "0.1.0-dev";

    private static final String USAGE = """
            latch: sign this terminal in to a Latch portal with your security key

            Usage: latch <command> [--portal URL]

            Commands:
              login [--no-browser]   sign in: approve the code in the browser with one key touch
              logout                 sign out on the portal and delete local state
              status                 who you are signed in as, and until when (local only)
              doctor                 check the portal, the clock, PATH, file permissions and the sign-in
              version                print the version
              help                   this text

            Options:
              --portal URL           the portal to use (default: the one from your last login,
                                     or $LATCH_PORTAL)

            Files: $XDG_CONFIG_HOME/latch (default ~/.config/latch), 0600 files in a 0700 directory.
            """;

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;
    private final Clock clock;

    public Latch(Map<String, String> env, PrintStream out, PrintStream err) {
        this(env, out, err, Clock.systemUTC());
    }

    Latch(Map<String, String> env, PrintStream out, PrintStream err, Clock clock) {
        this.env = env;
        this.out = out;
        this.err = err;
        this.clock = clock;
    }

    public int run(String[] args) {
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        try {
            String portalFlag = option(rest, "--portal");
            boolean noBrowser = rest.remove("--no-browser");
            if (rest.isEmpty() || rest.contains("--help") || rest.contains("-h")) {
                out.print(USAGE);
                return rest.isEmpty() ? 2 : 0;
            }
            String command = rest.remove(0);
            if (!rest.isEmpty()) {
                throw new CliException("Unexpected argument: " + rest.get(0) + ". See `latch help`.", 2);
            }
            StateStore state = StateStore.fromEnvironment(env);
            return switch (command) {
                case "version" -> {
                    out.println("latch " + VERSION);
                    yield 0;
                }
                case "help" -> {
                    out.print(USAGE);
                    yield 0;
                }
                case "login" -> new LoginCommand(client(portalFlag, state, true), state, err, clock,
                        noBrowser || env.get("LATCH_NO_BROWSER") != null, env).run();
                case "logout" -> new LogoutCommand(client(portalFlag, state, false), state, err).run();
                case "status" -> new StatusCommand(portal(portalFlag, state, false), state, out, clock).run();
                case "doctor" -> new DoctorCommand(client(portalFlag, state, false), state, out, clock, env).run();
                default -> throw new CliException("Unknown command: " + command + ". See `latch help`.", 2);
            };
        } catch (CliException e) {
            err.println("latch: " + e.getMessage());
            return e.exitCode();
        } catch (RuntimeException e) {
            err.println("latch: unexpected error: " + e);
            return 1;
        }
    }

    private PortalClient client(String flag, StateStore state, boolean login) {
        return new PortalClient(portal(flag, state, login), clock);
    }

    /** The portal: the flag, else $LATCH_PORTAL, else the last login's. */
    private String portal(String flag, StateStore state, boolean login) {
        String portal = flag != null ? flag : env.get("LATCH_PORTAL");
        if (portal == null) {
            portal = state.defaultPortal().orElse(null);
        }
        if (portal == null) {
            throw new CliException(login ? "Which portal? Run `latch login --portal https://latch.example.com`."
                    : "Not signed in to any portal. Run `latch login --portal https://latch.example.com`.", 2);
        }
        if (!portal.startsWith("https://") && !portal.startsWith("http://localhost") && !portal.startsWith("http://127.0.0.1")) {
            throw new CliException("The portal must be an https:// address (http only for localhost): " + portal, 2);
        }
        return trimSlashes(portal);
    }

    static String trimSlashes(String url) {
        int end = url.length();
        while (end > 0 && url.charAt(end - 1) == '/') {
            end--;
        }
        return url.substring(0, end);
    }

    private static String option(List<String> args, String name) {
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals(name)) {
                if (i + 1 >= args.size()) {
                    throw new CliException(name + " needs a value.", 2);
                }
                args.remove(i);
                return args.remove(i);
            }
            if (arg.startsWith(name + "=")) {
                args.remove(i);
                return arg.substring(name.length() + 1);
            }
        }
        return null;
    }
}
