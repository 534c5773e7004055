package io.omnihub.hub.sealing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SealingKeysTest {

    @TempDir
    Path data;

    @Test
    void withoutAConfiguredKeyTheFirstStartCreatesAnOwnerOnlyKeyFileAndLaterStartsUseIt() throws Exception {
        Path file = data.resolve("sealing.key");

        Sealer first = SealingKeys.load(null, List.of(), file);
        Sealer second = SealingKeys.load("", List.of(), file);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(second.currentKeyId()).isEqualTo(first.currentKeyId());
        assertThat(second.open(first.seal("s3cret", "ctx"), "ctx")).isEqualTo("s3cret");
    }

    @Test
    void aKeyFileOthersCouldReadIsTightened() throws Exception {
        Path file = data.resolve("sealing.key");
        Files.writeString(file, SealingKeys.newKey());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        SealingKeys.load(null, List.of(), file);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void aConfiguredKeySealsAndTheKeyFileLeftBehindStillOpensWhatItSealed() {
        Path file = data.resolve("sealing.key");
        Sealer fromFile = SealingKeys.load(null, List.of(), file);
        String sealedEarlier = fromFile.seal("kept", "ctx");

        Sealer configured = SealingKeys.load(SealingKeys.newKey(), List.of(), file);

        assertThat(configured.currentKeyId()).isNotEqualTo(fromFile.currentKeyId());
        assertThat(configured.open(sealedEarlier, "ctx")).isEqualTo("kept");
        assertThat(configured.sealedWithAnotherKey(sealedEarlier)).isTrue();
        assertThat(configured.sealedWithAnotherKey(configured.seal("new", "ctx"))).isFalse();
    }

    @Test
    void aKeyThatIsNot256BitsOfBase64IsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> SealingKeys.load("c2hvcnQ=", List.of(), data.resolve("sealing.key")))
                .hasMessageContaining("hub.security.sealing.key").hasMessageContaining("openssl rand -base64 32");
        assertThatThrownBy(() -> SealingKeys.load(SealingKeys.newKey(), List.of("not base64!"), data.resolve("sealing.key")))
                .hasMessageContaining("hub.security.sealing.previous-keys");
    }
}
