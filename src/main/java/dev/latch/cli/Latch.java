package dev.latch.cli;

import java.io.PrintStream;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** Parses the command line and runs one command. Returns the exit code; never throws. */
public final class Latch {

    static final String VERSION = Latch.class.getPackage().getImplementationVersion() != null
            ? Latch.class.getPackage().getImplementationVersion() : "0.1.0-dev";

    private static final String USAGE = """
            latch: sign this terminal in to a Latch portal with your security key, and serve
            kubectl and the AWS CLI from that sign-in

            Usage: latch <command> [options] [--portal URL]

            Commands:
              login [--no-browser]   sign in: approve the code in the browser with one key touch
              logout                 sign out on the portal and delete local state
              status                 who you are signed in as, and until when (local only)
              ls [--json]            what you can use: clusters and accounts with their levels
                                     (standing, granted until when, or requestable)
              request <account|cluster> --level LEVEL --for DURATION --reason TEXT
                      [--ticket URL] [--start RFC3339] [--wait] [--json]
                                     ask for a level for a while (30m, 2h, 1d); prints the request
                                     id, and with --wait waits for the decision (exit 0 approved,
                                     4 denied or expired)
              setup [--kubeconfig FILE] [--use CONTEXT] [--no-kube] [--aws] [--aws-config FILE]
                                     add a kubectl context per cluster and level you can use
                                     (merged with kubectl; backup in FILE.latch-backup; the first
                                     one becomes current if there is none, or --use CONTEXT), and
                                     with --aws a credential_process profile per account and level
              use [CONTEXT] [--kubeconfig FILE]
                                     list Latch's kubectl contexts (* marks the current one), or
                                     make CONTEXT the current context
              kube token --issuance ID
                                     kubectl exec credential plugin (written by `latch setup`)
              aws creds --account ACCOUNT --level LEVEL
                                     AWS CLI credential_process (written by `latch setup --aws`)
              aws console --account ACCOUNT --level LEVEL [--print]
                                     open the AWS console at that level (--print: print the link)
              doctor                 check the portal, the clock, PATH, file permissions and the sign-in
              version                print the version
              help                   this text

            Options:
              --portal URL           the portal to use (default: the one from your last login,
                                     or $LATCH_PORTAL)

            Environment: LATCH_EXEC_WAIT_SECONDS (how long kube token / aws creds wait for a
            browser sign-in when run by a GUI tool; default 0), LATCH_POLL_SECONDS (how often
            request --wait asks; default 5), LATCH_NO_BROWSER, LATCH_BROWSER, LATCH_COMMAND (the
            helper's path that setup writes into the configs).

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
        try {
            Arguments arguments = Arguments.parse(args);
            List<String> words = arguments.words();
            if (words.isEmpty() || arguments.helpWanted()) {
                out.print(USAGE);
                return words.isEmpty() && !arguments.helpWanted() ? 2 : 0;
            }
            return dispatch(arguments, words.get(0), words.size() > 1 ? words.get(1) : null);
        } catch (CliException e) {
            // one line, whatever the portal put in a detail
            err.println("latch: " + e.getMessage().replace('\r', ' ').replace('\n', ' '));
            return e.exitCode();
        } catch (RuntimeException e) {
            err.println("latch: unexpected error: " + e);
            return 1;
        }
    }

    private int dispatch(Arguments args, String command, String sub) {
        String portalFlag = args.value("--portal");
        StateStore state = StateStore.fromEnvironment(env);
        switch (command) {
            case "version" -> {
                args.allowOnly(command, 1);
                out.println("latch " + VERSION);
                return 0;
            }
            case "help" -> {
                args.allowOnly(command, 1);
                out.print(USAGE);
                return 0;
            }
            case "login" -> {
                args.allowOnly(command, 1, "--no-browser");
                return new LoginCommand(client(portalFlag, state, true), state, err, clock,
                        args.flag("--no-browser") || env.get("LATCH_NO_BROWSER") != null, env).run();
            }
            case "logout" -> {
                args.allowOnly(command, 1);
                return new LogoutCommand(client(portalFlag, state, false), state, err).run();
            }
            case "status" -> {
                args.allowOnly(command, 1);
                return new StatusCommand(portal(portalFlag, state, false), state, out, clock).run();
            }
            case "doctor" -> {
                args.allowOnly(command, 1);
                return new DoctorCommand(client(portalFlag, state, false), state, out, clock, env).run();
            }
            case "ls" -> {
                args.allowOnly(command, 1, "--json");
                return new ListCommand(signedIn(client(portalFlag, state, false), state), out, args.flag("--json"), clock).run();
            }
            case "request" -> {
                RequestCommand.Ask ask = RequestCommand.ask(args);
                return new RequestCommand(signedIn(client(portalFlag, state, false), state), out, err, clock, env, args.flag("--json"),
                        args.flag("--wait")).run(ask);
            }
            case "setup" -> {
                args.allowOnly(command, 1, "--kubeconfig", "--use", "--no-kube", "--aws", "--aws-config");
                boolean aws = args.flag("--aws") || args.value("--aws-config") != null;
                return new SetupCommand(signedIn(client(portalFlag, state, false), state), err, env).run(!args.flag("--no-kube"),
                        KubeconfigWriter.files(args.value("--kubeconfig"), env), args.value("--use"), aws,
                        AwsConfigWriter.target(args.value("--aws-config"), env));
            }
            case "use" -> {
                args.allowOnly(command, 2, "--kubeconfig");
                Kubectl kubectl = Kubectl.onPath(env, "`latch use` reads and writes your kubeconfig with it. Install kubectl.");
                return new UseCommand(kubectl, out, err).run(KubeconfigWriter.files(args.value("--kubeconfig"), env), sub);
            }
            case "kube" -> {
                if (!"token".equals(sub)) {
                    throw new CliException("Unknown command: kube " + (sub == null ? "" : sub) + ". Did you mean `latch kube token`?", 2);
                }
                args.allowOnly("kube token", 2, "--issuance");
                return new KubeTokenCommand(client(portalFlag, state, false), state, out, err, clock, env,
                        args.required("--issuance", "kube token")).run();
            }
            case "aws" -> {
                return aws(args, sub, client(portalFlag, state, false), state);
            }
            default -> throw new CliException("Unknown command: " + command + ". See `latch help`.", 2);
        }
    }

    private int aws(Arguments args, String sub, PortalClient portal, StateStore state) {
        if ("creds".equals(sub)) {
            args.allowOnly("aws creds", 2, "--account", "--level");
            return new AwsCredsCommand(portal, state, out, err, clock, env, args.required("--account", "aws creds"),
                    args.required("--level", "aws creds")).run();
        }
        if ("console".equals(sub)) {
            args.allowOnly("aws console", 2, "--account", "--level", "--print");
            return new AwsConsoleCommand(signedIn(portal, state), out, err, env, args.flag("--print"))
                    .run(args.required("--account", "aws console"), args.required("--level", "aws console"));
        }
        throw new CliException("Unknown command: aws " + (sub == null ? "" : sub) + ". Use `latch aws creds` or `latch aws console`.", 2);
    }

    /** API access for commands run by hand: sign in again inline at a terminal, else say how. */
    private SignedInPortal signedIn(PortalClient portal, StateStore state) {
        SignInRecovery recovery = System.console() != null ? new TerminalSignIn(portal, state, err, clock, env) : SignInRecovery.FAIL;
        return new SignedInPortal(portal, new TokenSource(portal, state, clock), recovery,
                new TouchConfirmation(portal.portal(), state, err, clock, env, System.console() != null));
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
        if (!safeTransport(portal)) {
            throw new CliException("The portal must be an https:// address (http only for localhost): " + portal, 2);
        }
        return trimSlashes(portal);
    }

    /**
     * https anywhere; plain http only to this machine, judged by the parsed host ({@code localhost},
     * 127.0.0.0/8, {@code ::1}), never by a prefix: {@code http://localhost.evil.example} and
     * {@code http://localhost@evil.example} would carry refresh tokens in clear text.
     */
    static boolean safeTransport(String portal) {
        java.net.URI uri;
        try {
            uri = new java.net.URI(portal);
        } catch (java.net.URISyntaxException e) {
            return false;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(java.util.Locale.ROOT);
        if (host.isEmpty() || uri.getRawUserInfo() != null) {
            return false;
        }
        if (scheme.equals("https")) {
            return true;
        }
        return scheme.equals("http") && (host.equals("localhost") || host.equals("[::1]") || isLoopbackV4(host));
    }

    private static boolean isLoopbackV4(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4 || !parts[0].equals("127")) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit) || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    static String trimSlashes(String url) {
        int end = url.length();
        while (end > 0 && url.charAt(end - 1) == '/') {
            end--;
        }
        return url.substring(0, end);
    }
}
