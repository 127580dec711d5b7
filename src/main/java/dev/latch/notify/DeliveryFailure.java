package dev.latch.notify;

/**
 * A delivery attempt that did not succeed. The reason is stored in {@code last_error} and logged,
 * so it is short and carries no secret. A permanent failure (the channel is switched off or not
 * configured) is not retried.
 */
final class DeliveryFailure extends Exception {

    private static final int MAX_REASON = 200;

    private final boolean permanent;

    DeliveryFailure(String reason, boolean permanent) {
        super(shorten(reason), null, false, false);
        this.permanent = permanent;
    }

    static DeliveryFailure retry(String reason) {
        return new DeliveryFailure(reason, false);
    }

    static DeliveryFailure permanent(String reason) {
        return new DeliveryFailure(reason, true);
    }

    boolean permanent() {
        return permanent;
    }

    /** One line, printable, at most 200 characters. */
    static String shorten(String reason) {
        String line = reason == null ? "unknown error" : reason.replaceAll("\\p{Cntrl}+", " ").strip();
        return line.length() <= MAX_REASON ? line : line.substring(0, MAX_REASON - 1) + "…";
    }
}
