package dev.latch.cli;

import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * {@code latch aws creds}: the AWS CLI's {@code credential_process}. Prints the portal's answer
 * verbatim and caches it per (portal, account, level) until five minutes before its
 * {@code Expiration} (the AWS CLI runs the process for nearly every command). An ended sign-in is
 * renewed inline when a person is at the terminal, else through the shared browser sign-in; a
 * production level's key touch goes through the shared confirmation page ({@link TouchConfirmation}).
 */
final class AwsCredsCommand {

    private final PortalClient portal;
    private final StateStore state;
    private final PrintStream out;
    private final PrintStream err;
    private final Clock clock;
    private final Map<String, String> env;
    private final String account;
    private final String level;

    AwsCredsCommand(PortalClient portal, StateStore state, PrintStream out, PrintStream err, Clock clock,
            Map<String, String> env, String account, String level) {
        this.portal = portal;
        this.state = state;
        this.out = out;
        this.err = err;
        this.clock = clock;
        this.env = env;
        this.account = account;
        this.level = level;
    }

    int run() {
        SignInRecovery recovery = System.console() != null ? new TerminalSignIn(portal, state, err, clock, env)
                : new SharedDeviceLogin(portal, state, err, clock, env);
        SignedInPortal api = new SignedInPortal(portal, new TokenSource(portal, state, clock), recovery,
                new TouchConfirmation(portal.portal(), state, err, clock, env, System.console() != null));
        CredentialCache cache = new CredentialCache(state, "aws-" + StateStore.portalKey(portal.portal()) + "-" + account + "-" + level,
                "Expiration", Duration.ofMinutes(5), clock);
        KubeTokenCommand.printPayload(out, cache.serve(api, query("/api/v1/aws/credentials", account, level)));
        return 0;
    }

    static String query(String path, String account, String level) {
        return path + "?account=" + URLEncoder.encode(account, StandardCharsets.UTF_8)
                + "&level=" + URLEncoder.encode(level, StandardCharsets.UTF_8);
    }
}
