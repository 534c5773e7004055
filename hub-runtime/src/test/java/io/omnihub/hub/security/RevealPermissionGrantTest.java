package io.omnihub.hub.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omnihub.hub.HubProperties;
import io.omnihub.hub.privacy.RevealPermission;
import java.nio.file.Path;
import java.util.Collection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.password.PasswordEncoder;

/** Who holds the permission to reveal personal data: admins always, operators when granted by name, never a viewer. */
class RevealPermissionGrantTest {

    @TempDir
    Path dataDir;

    private final SecurityConfiguration security = new SecurityConfiguration();
    private final PasswordEncoder encoder = security.passwordEncoder();

    @Test
    void adminsHoldItThroughTheRoleHierarchyAndOperatorsOnlyWhenGrantedByName() {
        HubProperties properties = new HubProperties();
        properties.getSecurity().getUsers().put("privacy-officer", user(HubProperties.Security.Role.OPERATOR, true));
        properties.getSecurity().getUsers().put("shift-lead", user(HubProperties.Security.Role.OPERATOR, false));
        UserDetailsService users = security.users(properties, AdminCredentials.of("admin-pass-2026", dataDir.resolve("admin-password")),
                encoder);

        assertThat(RevealPermission.heldBy(reachable(users, "admin"))).isTrue();
        assertThat(RevealPermission.heldBy(reachable(users, "privacy-officer"))).isTrue();
        assertThat(RevealPermission.heldBy(reachable(users, "shift-lead"))).isFalse();
        assertThat(reachable(users, "privacy-officer")).extracting(GrantedAuthority::getAuthority).contains("ROLE_OPERATOR", "ROLE_VIEWER");
    }

    @Test
    void aViewerGrantedRevealStopsTheStartNamingTheUser() {
        HubProperties properties = new HubProperties();
        properties.getSecurity().getUsers().put("intern", user(HubProperties.Security.Role.VIEWER, true));

        assertThatThrownBy(() -> security.users(properties, AdminCredentials.of("admin-pass-2026", dataDir.resolve("admin-password")),
                encoder)).hasMessageContaining("hub.security.users.intern.reveal is for operators");
    }

    private static Collection<? extends GrantedAuthority> reachable(UserDetailsService users, String name) {
        return SecurityConfiguration.roleHierarchy().getReachableGrantedAuthorities(users.loadUserByUsername(name).getAuthorities());
    }

    private static HubProperties.Security.User user(HubProperties.Security.Role role, boolean reveal) {
        HubProperties.Security.User user = new HubProperties.Security.User();
        user.setPassword("a-password-2026");
        user.setRole(role);
        user.setReveal(reveal);
        return user;
    }
}
