package dev.latch.cli;

import java.io.PrintStream;
import java.util.Map;

/**
 * {@code latch aws console}: a federation sign-in link for the AWS console at one level, opened
 * in the browser; printed on stdout instead with {@code --print} or when no browser can be opened.
 */
final class AwsConsoleCommand {

    private final SignedInPortal portal;
    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;
    private final boolean print;

    AwsConsoleCommand(SignedInPortal portal, PrintStream out, PrintStream err, Map<String, String> env, boolean print) {
        this.portal = portal;
        this.out = out;
        this.err = err;
        this.env = env;
        this.print = print;
    }

    int run(String account, String level) {
        PortalClient.Answer answer = portal.get(AwsCredsCommand.query("/api/v1/aws/console", account, level));
        if (answer.status() != 200) {
            throw SignedInPortal.refusal(answer);
        }
        String url = answer.string("url");
        if (url == null || !url.startsWith("https://")) {
            throw new CliException("The portal's answer has no console address.");
        }
        if (!print && env.get("LATCH_NO_BROWSER") == null && BrowserOpener.open(url, env)) {
            err.println("Opened the AWS console for " + account + " (" + level + ") in your browser.");
            return 0;
        }
        out.println(url); // a sign-in link: valid for minutes, and only until used
        return 0;
    }
}
