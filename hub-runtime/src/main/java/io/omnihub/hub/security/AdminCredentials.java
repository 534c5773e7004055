package io.omnihub.hub.security;

import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * The built-in admin login.
 *
 * @param username  always {@code admin}
 * @param password  the password in clear, kept to print a generated one once
 * @param generated whether the password was generated (no {@code HUB_SECURITY_ADMIN_PASSWORD}); it is
 *                  then kept in {@code file}
 * @param file      the owner-only file holding a generated password, or null for a configured one
 * @param newlyGenerated whether it was generated at this start: the one time it is printed
 */
public record AdminCredentials(String username, String password, boolean generated, Path file, boolean newlyGenerated) {

    /** The admin user's name. */
    public static final String ADMIN = "admin";

    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    /**
     * The configured password; without one, the password kept in {@code file}, generated and kept
     * there (owner-only) at the first start.
     */
    static AdminCredentials of(String configuredPassword, Path file) {
        if (configuredPassword != null && !configuredPassword.isBlank()) {
            return new AdminCredentials(ADMIN, configuredPassword, false, null, false);
        }
        OwnerOnlyFile kept = new OwnerOnlyFile(file);
        OwnerOnlyFile.Content content = kept.readOrCreate(AdminCredentials::newPassword);
        return new AdminCredentials(ADMIN, content.value(), true, kept.path(), content.created());
    }

    private static String newPassword() {
        SecureRandom random = new SecureRandom();
        StringBuilder password = new StringBuilder();
        // 20 characters of a 57-letter alphabet without look-alikes: about 117 bits.
        for (int i = 0; i < 20; i++) {
            password.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return password.toString();
    }

    @Override
    public String toString() {
        return "AdminCredentials[" + username + (generated ? ", generated" : ", configured") + "]";
    }
}
