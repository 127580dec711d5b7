package dev.latch.cli;

/** Entry point of {@code latch}; all behaviour is in {@link Latch}. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        int code = new Latch(System.getenv(), System.out, System.err).run(args);
        System.out.flush();
        System.exit(code);
    }
}
