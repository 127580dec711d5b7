package dev.latch.oauth;

import java.security.SecureRandom;
import java.util.Locale;

/**
 * User codes as RFC 8628 §6.1 suggests: 8 letters from a 20-letter alphabet without vowels
 * (about 34.5 bits, no words, no 0/O or 1/I confusion), shown as {@code XXXX-XXXX} and accepted
 * in any case, with or without the dash or spaces.
 */
public final class UserCodes {

    static final String ALPHABET = "BCDFGHJKLMNPQRSTVWXZ";
    private static final SecureRandom RANDOM = new SecureRandom();

    private UserCodes() {
    }

    /** A new code in stored form (8 letters, no dash). */
    public static String generate() {
        StringBuilder code = new StringBuilder(8);
        for (int i = 0; i < 8; i++) {
            code.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return code.toString();
    }

    /** The code as people see it: {@code WDJB-MJHT}. */
    public static String display(String stored) {
        return stored.substring(0, 4) + "-" + stored.substring(4);
    }

    /**
     * What a person typed, in stored form, or null when it cannot be a code. Characters outside
     * the alphabet that are only punctuation or spaces are ignored; any other letter or digit
     * makes the entry invalid.
     */
    public static String normalise(String typed) {
        if (typed == null) {
            return null;
        }
        StringBuilder code = new StringBuilder(8);
        for (char c : typed.toUpperCase(Locale.ROOT).toCharArray()) {
            if (ALPHABET.indexOf(c) >= 0) {
                code.append(c);
            } else if (Character.isLetterOrDigit(c)) {
                return null;
            }
        }
        return code.length() == 8 ? code.toString() : null;
    }
}
