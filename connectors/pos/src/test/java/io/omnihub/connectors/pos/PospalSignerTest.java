package io.omnihub.connectors.pos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * PROTOCOLS §6 gives the algorithm but no vector: these were computed outside Java with
 * {@code printf '%s' "$appKey$body" | md5sum} and upper-cased, and are recomputed in the test with
 * the JDK's MD5 apart from {@link PospalSigner}.
 */
class PospalSignerTest {

    private static final String QUERY = "{\"appId\":\"A1B2C3D4E5F60718293A4B5C6D7E8F90\","
            + "\"startTime\":\"2025-05-20 09:55:00\",\"endTime\":\"2025-05-20 10:00:00\"}";
    private static final String CHINESE = "{\"appId\":\"A1B2C3D4E5F60718293A4B5C6D7E8F90\","
            + "\"customerInfo\":{\"name\":\"张三\",\"phone\":\"13912345678\"}}";

    @Test
    void signatureIsUpperCaseMd5OfAppKeyAndBody() {
        byte[] body = QUERY.getBytes(StandardCharsets.UTF_8);

        assertThat(PospalSigner.sign("6F2B7A1C9E4D8035", body))
                .isEqualTo("2D94A84D232A08593C56E067648D5AA6")
                .isEqualTo(PosFixtures.md5Upper("6F2B7A1C9E4D8035", body));
    }

    @Test
    void chineseTextIsSignedAsUtf8Bytes() {
        byte[] body = CHINESE.getBytes(StandardCharsets.UTF_8);

        assertThat(PospalSigner.sign("6F2B7A1C9E4D8035", body))
                .isEqualTo("55FF473005689F714020F6F4BFC62829")
                .isEqualTo(PosFixtures.md5Upper("6F2B7A1C9E4D8035", body));
    }

    @Test
    void anotherKeyOrOneChangedByteGivesAnotherSignature() {
        byte[] body = QUERY.getBytes(StandardCharsets.UTF_8);
        byte[] changed = QUERY.replace("09:55:00", "09:55:01").getBytes(StandardCharsets.UTF_8);

        assertThat(PospalSigner.sign("6F2B7A1C9E4D8036", body)).isNotEqualTo("2D94A84D232A08593C56E067648D5AA6");
        assertThat(PospalSigner.sign("6F2B7A1C9E4D8035", changed)).isNotEqualTo("2D94A84D232A08593C56E067648D5AA6");
    }
}
