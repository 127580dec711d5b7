package dev.latch.identity;

import java.util.Locale;

/**
 * Who owns a group, a membership or a person's manager, and so who may change it. Each owner
 * changes only what it owns: an administrator cannot edit what the inventory file declares, and a
 * SCIM client cannot touch a group an administrator made.
 */
public enum PeopleSource {
    /** An administrator, in the portal or through the admin API. */
    LOCAL,
    /** The inventory file. */
    FILE,
    /** The directory, through SCIM. */
    SCIM,
    /** The upstream identity provider's claims, at enrolment or sign-in. */
    UPSTREAM;

    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static PeopleSource of(String dbValue) {
        return valueOf(dbValue.toUpperCase(Locale.ROOT));
    }

    /** How a person is told where to make the change instead. */
    public String owner() {
        return switch (this) {
            case LOCAL -> "an administrator in Latch";
            case FILE -> "the inventory file";
            case SCIM -> "your directory (SCIM)";
            case UPSTREAM -> "your identity provider";
        };
    }
}
