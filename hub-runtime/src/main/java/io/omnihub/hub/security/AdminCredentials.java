package io.omnihub.hub.security;

import java.security.SecureRandom;

/**
 * The built-in admin login.
 *
 * @param username  always {@code admin}
 * @param password  the password in clear, kept only to print a generated one once
 * @param generated whether the password was generated at this start (no {@code HUB_SECURITY_ADMIN_PASSWORD})
 */
public record AdminCredentials(String username, String password, boolean generated) {

    /** The admin user's name. */
    public static final String ADMIN = "admin";

    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    /** The configured password, or a random one when none is configured. */
    static AdminCredentials of(String configuredPassword) {
        if (configuredPassword != null && !configuredPassword.isBlank()) {
            return new AdminCredentials(ADMIN, configuredPassword, false);
        }
        SecureRandom random = new SecureRandom();
        StringBuilder password = new StringBuilder();
        // 20 characters of a 57-letter alphabet without look-alikes: about 117 bits.
        for (int i = 0; i < 20; i++) {
            password.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return new AdminCredentials(ADMIN, password.toString(), true);
    }

    @Override
    public String toString() {
        return "AdminCredentials[" + username + (generated ? ", generated" : ", configured") + "]";
    }
}
