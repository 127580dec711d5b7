package dev.latch.cli;

/**
 * API calls with a usable sign-in: refreshes the access token when due, and when the sign-in has
 * ended (or the portal answers 401) lets the command's {@link SignInRecovery} sign in again, then
 * tries once more. When the portal asks for a key touch on this login (production from the
 * terminal), {@link TouchConfirmation} shows the one confirmation page and the call is repeated
 * until the touch is recorded or the wait is over.
 */
final class SignedInPortal {

    private final PortalClient portal;
    private final TokenSource tokens;
    private final SignInRecovery recovery;
    private final TouchConfirmation touch;

    SignedInPortal(PortalClient portal, TokenSource tokens, SignInRecovery recovery, TouchConfirmation touch) {
        this.portal = portal;
        this.tokens = tokens;
        this.recovery = recovery;
        this.touch = touch;
    }

    String portalUrl() {
        return portal.portal();
    }

    PortalClient.Answer get(String path) {
        return call("GET", path, null);
    }

    PortalClient.Answer call(String method, String path, String jsonBody) {
        java.time.Instant deadline = null;
        while (true) {
            PortalClient.Answer answer = signedInCall(method, path, jsonBody);
            if (!TouchConfirmation.asked(answer)) {
                return answer;
            }
            if (deadline == null) {
                deadline = touch.show(answer);
            }
            if (!touch.waitAgain(deadline)) {
                return answer;
            }
        }
    }

    private PortalClient.Answer signedInCall(String method, String path, String jsonBody) {
        for (int attempt = 0; ; attempt++) {
            Session session = session();
            PortalClient.Answer answer = portal.api(method, path, jsonBody, session.accessToken(), session.dpop());
            if (answer.status() == 401) {
                // a 401 may only mean the portal saw this proof before (a load balancer retried the request on
                // another replica): once more with a fresh proof before the sign-in is thrown away
                answer = portal.api(method, path, jsonBody, session.accessToken(), session.dpop());
            }
            if (answer.status() != 401) {
                return answer;
            }
            tokens.forget(session);
            if (attempt > 0) {
                throw new SignInEnded("The portal refused the new sign-in (" + LoginCommand.describe(answer) + "). Run `latch login`.");
            }
        }
    }

    private Session session() {
        try {
            return tokens.current();
        } catch (SignInEnded ended) {
            recovery.signIn(ended.getMessage());
            return tokens.current();
        }
    }

    /** A refusal as the one line the helper prints: the problem's detail, else its title. */
    static CliException refusal(PortalClient.Answer answer) {
        String detail = answer.string("detail");
        if (detail == null) {
            detail = answer.string("title");
        }
        if (detail == null) {
            detail = "The portal answered HTTP " + answer.status() + ".";
        }
        return new CliException(detail, answer.status() >= 500 ? 3 : 1);
    }
}
