package io.omnihub.hub.sealing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SealerTest {

    private final Sealer sealer = new Sealer(key(7), List.of());

    @Test
    void aSealedValueOpensOnlyInTheContextItWasSealedFor() {
        String sealed = sealer.seal("app-secret-value", "hub_connector_instance/wechat/a/app-secret");

        assertThat(sealed).startsWith("sealed:v1:" + sealer.currentKeyId() + ":").doesNotContain("app-secret-value");
        assertThat(sealer.open(sealed, "hub_connector_instance/wechat/a/app-secret")).isEqualTo("app-secret-value");
        assertThatThrownBy(() -> sealer.open(sealed, "hub_connector_instance/wechat/b/app-secret"))
                .isInstanceOf(SealedValueException.class).hasMessageContaining("another place");
    }

    @Test
    void theSameSecretSealsDifferentlyEachTime() {
        assertThat(sealer.seal("same", "ctx")).isNotEqualTo(sealer.seal("same", "ctx"));
    }

    @Test
    void aChangedValueDoesNotOpen() {
        String sealed = sealer.seal("value", "ctx");
        char last = sealed.charAt(sealed.length() - 2);
        String changed = sealed.substring(0, sealed.length() - 2) + (last == 'A' ? 'B' : 'A') + sealed.charAt(sealed.length() - 1);

        assertThatThrownBy(() -> sealer.open(changed, "ctx")).isInstanceOf(SealedValueException.class);
    }

    @Test
    void aValueSealedWithAnUnknownKeyNamesThatKey() {
        Sealer other = new Sealer(key(9), List.of());
        String sealed = other.seal("value", "ctx");

        assertThatThrownBy(() -> sealer.open(sealed, "ctx")).isInstanceOf(SealedValueException.class)
                .hasMessageContaining(other.currentKeyId()).hasMessageContaining("previous-keys");
    }

    @Test
    void fingerprintsAreStablePerKeyAndDifferAcrossKeys() {
        assertThat(sealer.fingerprint("config")).isEqualTo(new Sealer(key(7), List.of()).fingerprint("config")).hasSize(64);
        assertThat(sealer.fingerprint("config")).isNotEqualTo(new Sealer(key(8), List.of()).fingerprint("config"));
    }

    private static byte[] key(int seed) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) seed);
        return key;
    }
}
