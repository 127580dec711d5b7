package dev.latch.cli;

/**
 * The sign-in is gone (never made, past its end, refresh refused, or the portal answered 401):
 * a new device login can fix it, which commands serving kubectl or the AWS CLI may start themselves.
 */
final class SignInEnded extends CliException {

    SignInEnded(String message) {
        super(message, 1);
    }
}
