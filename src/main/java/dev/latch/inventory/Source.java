package dev.latch.inventory;

/** Who owns an inventory row, and so who may change it. */
public enum Source {
    /** Made in the admin UI or API. */
    UI,
    /** Loaded from the inventory file; read-only elsewhere. */
    FILE,
    /** Found in AWS by discovery. */
    DISCOVERY,
    /** Seeded for the dev-mode demo. */
    DEMO;

    public String dbValue() {
        return name().toLowerCase();
    }
}
