package dev.latch.cli;

/**
 * What a command does when the sign-in has ended: fail with the reason (the default), sign in
 * again in the terminal ({@link TerminalSignIn}), or share one browser sign-in between background
 * helpers ({@link SharedDeviceLogin}). Returns once a usable session is stored; throws otherwise.
 */
interface SignInRecovery {

    void signIn(String why);

    /** Commands run by hand without a terminal to talk to: say what happened and how to fix it. */
    SignInRecovery FAIL = new SignInRecovery() {
        @Override
        public void signIn(String why) {
            throw new SignInEnded(why);
        }
    };
}
