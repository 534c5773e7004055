package io.omnihub.hub.security;

import java.nio.file.Path;

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
        // About 117 bits.
        return RandomPassword.generate(20);
    }

    @Override
    public String toString() {
        return "AdminCredentials[" + username + (generated ? ", generated" : ", configured") + "]";
    }
}
