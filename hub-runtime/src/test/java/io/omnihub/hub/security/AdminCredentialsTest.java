package io.omnihub.hub.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminCredentialsTest {

    @TempDir
    Path data;

    @Test
    void aGeneratedPasswordIsKeptAndOnlyTheStartThatGeneratedItShowsIt() {
        AdminCredentials first = AdminCredentials.of(null, data.resolve("admin-password"));
        AdminCredentials second = AdminCredentials.of("", data.resolve("admin-password"));

        assertThat(first.generated()).isTrue();
        assertThat(first.newlyGenerated()).isTrue();
        assertThat(first.password()).hasSize(20);
        assertThat(second.password()).isEqualTo(first.password());
        assertThat(second.newlyGenerated()).isFalse();
        assertThat(first.toString()).doesNotContain(first.password());
    }

    @Test
    void aConfiguredPasswordIsUsedAndNothingIsWritten() {
        AdminCredentials configured = AdminCredentials.of("chosen-by-the-operator", data.resolve("admin-password"));

        assertThat(configured.password()).isEqualTo("chosen-by-the-operator");
        assertThat(configured.generated()).isFalse();
        assertThat(Files.exists(data.resolve("admin-password"))).isFalse();
    }
}
