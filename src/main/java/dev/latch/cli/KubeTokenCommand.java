package dev.latch.cli;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * {@code latch kube token}: kubectl's exec credential plugin. Prints the ExecCredential for one
 * issuance, from the cache until a minute before it expires, else from
 * {@code GET /api/v1/kube/token}. kubectl says in {@code KUBERNETES_EXEC_INFO} whether a person is
 * at the terminal: then an ended sign-in is renewed inline ({@link TerminalSignIn}); otherwise
 * (Lens, IDEs, k9s) every helper shares one browser sign-in ({@link SharedDeviceLogin}).
 */
final class KubeTokenCommand {

    private final PortalClient portal;
    private final StateStore state;
    private final PrintStream out;
    private final PrintStream err;
    private final Clock clock;
    private final Map<String, String> env;
    private final String issuance;

    KubeTokenCommand(PortalClient portal, StateStore state, PrintStream out, PrintStream err, Clock clock,
            Map<String, String> env, String issuance) {
        this.portal = portal;
        this.state = state;
        this.out = out;
        this.err = err;
        this.clock = clock;
        this.env = env;
        this.issuance = issuance;
    }

    int run() {
        if (!plainId(issuance)) {
            throw new CliException("--issuance must be the issuance id from your kubeconfig, not " + issuance, 2);
        }
        boolean interactive = interactive(env);
        SignInRecovery recovery = interactive ? new TerminalSignIn(portal, state, err, clock, env)
                : new SharedDeviceLogin(portal, state, err, clock, env);
        SignedInPortal api = new SignedInPortal(portal, new TokenSource(portal, state, clock), recovery,
                new TouchConfirmation(portal.portal(), state, err, clock, env, interactive));
        CredentialCache cache = new CredentialCache(state, "kube-" + issuance, "status.expirationTimestamp",
                Duration.ofSeconds(60), clock);
        printPayload(out, cache.serve(api, "/api/v1/kube/token?issuance=" + issuance));
        return 0;
    }

    /** Letters, digits and dashes (a UUID): it becomes part of a file name. No regex: start-up time. */
    private static boolean plainId(String id) {
        if (id.isEmpty() || id.length() > 64) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** kubectl's {@code spec.interactive}; without it (old kubectl) whether there is a console. */
    static boolean interactive(Map<String, String> env) {
        String info = env.get("KUBERNETES_EXEC_INFO");
        if (info != null && !info.isBlank()) {
            try {
                if (Json.parseObject(info).get("spec") instanceof Map<?, ?> spec && spec.get("interactive") instanceof Boolean b) {
                    return b;
                }
            } catch (IllegalArgumentException malformed) {
                // fall through: treat like an old kubectl
            }
        }
        return System.console() != null;
    }

    /** The payload exactly as the portal sent it, ending with one newline. */
    static void printPayload(PrintStream out, String payload) {
        out.print(payload.endsWith("\n") ? payload : payload + "\n");
        out.flush();
    }
}
