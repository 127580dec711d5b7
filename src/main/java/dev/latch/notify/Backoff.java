package dev.latch.notify;

import java.time.Duration;

/** When to try a message again: the base wait, doubled for each earlier failure, capped. */
record Backoff(Duration base, Duration max) {

    /** The wait after the attempt numbered {@code attempts} (1 for the first) failed. */
    Duration after(int attempts) {
        int doublings = Math.max(0, attempts - 1);
        // 2^30 times any sensible base is far past any cap; stop before overflowing
        if (doublings >= 30) {
            return max;
        }
        Duration wait = base.multipliedBy(1L << doublings);
        return wait.compareTo(max) > 0 ? max : wait;
    }
}
