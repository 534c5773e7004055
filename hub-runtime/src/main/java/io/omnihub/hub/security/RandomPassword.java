package io.omnihub.hub.security;

import java.security.SecureRandom;

/** Passwords the hub generates for itself (its admin, its embedded database): random, easy to copy. */
public final class RandomPassword {

    // 57 letters and digits without look-alikes (0/O, 1/l/I): about 5.8 bits each, nothing to quote.
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private RandomPassword() {
    }

    /** A new password of {@code length} characters. */
    public static String generate(int length) {
        StringBuilder password = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            password.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return password.toString();
    }
}
