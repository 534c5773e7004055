package io.omnihub.connectors.erp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omnihub.connector.errors.ConfigException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The signed (login-free) mode against the computed vector of PROTOCOLS §7.1. */
class KingdeeSignerTest {

    private static final String APP_ID = "123456_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef";
    private static final String APP_SECRET = "0123456789abcdef0123456789abcdef";
    private static final String PATH =
            "/k3cloud/Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.ExecuteBillQuery.common.kdsvc";
    private static final long TS = 1_700_000_000L;

    private final KingdeeSigner signer = new KingdeeSigner(APP_ID, APP_SECRET, "65a0000000000a", "administrator", 2052, "0");

    @Test
    void clientSecretMatchesTheVector() {
        assertThat(KingdeeSigner.clientSecret("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef")).isEqualTo("MCC2JDe0GaXoBuG8dSekaTenWPX6RrOs");
    }

    @Test
    void apiSignatureMatchesTheVector() {
        assertThat(KingdeeSigner.apiSignature("MCC2JDe0GaXoBuG8dSekaTenWPX6RrOs", PATH, "1700000000", "1700000000"))
                .isEqualTo("MDMzZTM1N2RiY2NkODE1NDg0ZTNmMjY3MzA3Y2FmNGJkMDZhMzEwZjUwNzFiNjE3MmEwNDM4ZWI1YjBjYTA3Ng==");
    }

    @Test
    void appDataAndKdSignatureMatchTheVector() {
        Map<String, List<String>> headers = signer.headers(PATH, TS);

        assertThat(headers.get("X-Kd-Appdata")).containsExactly("NjVhMDAwMDAwMDAwMGEsYWRtaW5pc3RyYXRvciwyMDUyLDA=");
        assertThat(headers.get("X-Kd-Signature"))
                .containsExactly("YjZhNzhmMDIxNjM1YjY1MTFmYTgwODBiZjc4Nzg1Njg4YjhiMmM1MGE4NTA1MmU3NGQ0MWY2NjFhZjE2MGI3Yw==");
    }

    @Test
    void everySignedHeaderIsSentWithTheVectorValues() {
        Map<String, List<String>> headers = signer.headers(PATH, TS);

        assertThat(headers).containsOnlyKeys("X-Api-ClientID", "X-Api-Auth-Version", "x-api-timestamp", "x-api-nonce",
                "x-api-signheaders", "X-Api-Signature", "X-Kd-Appkey", "X-Kd-Appdata", "X-Kd-Signature");
        assertThat(headers.get("X-Api-ClientID")).containsExactly("123456");
        assertThat(headers.get("X-Api-Auth-Version")).containsExactly("2.0");
        assertThat(headers.get("x-api-timestamp")).containsExactly("1700000000");
        assertThat(headers.get("x-api-nonce")).containsExactly("1700000000");
        assertThat(headers.get("x-api-signheaders")).containsExactly("x-api-timestamp,x-api-nonce");
        assertThat(headers.get("X-Api-Signature"))
                .containsExactly("MDMzZTM1N2RiY2NkODE1NDg0ZTNmMjY3MzA3Y2FmNGJkMDZhMzEwZjUwNzFiNjE3MmEwNDM4ZWI1YjBjYTA3Ng==");
        assertThat(headers.get("X-Kd-Appkey")).containsExactly(APP_ID);
    }

    @Test
    void theSignatureCoversThePathAndTheTime() {
        String query = signer.headers(PATH, TS).get("X-Api-Signature").get(0);

        assertThat(signer.headers(PATH.replace("ExecuteBillQuery", "Save"), TS).get("X-Api-Signature").get(0)).isNotEqualTo(query);
        assertThat(signer.headers(PATH, TS + 1).get("X-Api-Signature").get(0)).isNotEqualTo(query);
    }

    @Test
    void realNewlinesNotTheLiteralBackslashNOfKingdeePhp() {
        String phpStyle = KingdeeSigner.hexHmacBase64("MCC2JDe0GaXoBuG8dSekaTenWPX6RrOs",
                "POST\\n" + KingdeeSigner.encodePath(PATH) + "\\n\\nx-api-nonce:1700000000\\nx-api-timestamp:1700000000\\n");

        assertThat(signer.headers(PATH, TS).get("X-Api-Signature").get(0)).isNotEqualTo(phpStyle);
    }

    @Test
    void base64IsTakenOfTheLowercaseHexText() {
        String signature = KingdeeSigner.hexHmacBase64("key", "content");

        assertThat(new String(java.util.Base64.getDecoder().decode(signature))).matches("[0-9a-f]{64}");
    }

    @Test
    void pathIsEncodedLikePythonQuoteWithSlashesAsPercent2F() {
        assertThat(KingdeeSigner.encodePath("/k3cloud/Kingdee.BOS.WebApi.ServicesStub.AuthService.ValidateUser.common.kdsvc"))
                .isEqualTo("%2Fk3cloud%2FKingdee.BOS.WebApi.ServicesStub.AuthService.ValidateUser.common.kdsvc");
        assertThat(KingdeeSigner.encodePath("/金蝶 k3~a-b_c")).isEqualTo("%2F%E9%87%91%E8%9D%B6%20k3~a-b_c");
    }

    @Test
    void independentImplementationAgreesWithTheVector() {
        // Guards the test-side verifier the WireMock stubs use: it must accept what the vector says.
        assertThat(SignedRequests.clientSecret(APP_ID)).isEqualTo("MCC2JDe0GaXoBuG8dSekaTenWPX6RrOs");
        assertThat(SignedRequests.apiSignature(APP_ID, PATH, "1700000000", "1700000000"))
                .isEqualTo("MDMzZTM1N2RiY2NkODE1NDg0ZTNmMjY3MzA3Y2FmNGJkMDZhMzEwZjUwNzFiNjE3MmEwNDM4ZWI1YjBjYTA3Ng==");
    }

    @Test
    void anAppIdWithoutUnderscoreIsAConfigError() {
        assertThatThrownBy(() -> new KingdeeSigner("123456ABCDEFGH", APP_SECRET, "acct", "user", 2052, "0"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("app-id")
                .hasMessageNotContaining(APP_SECRET);
    }

    @Test
    void toStringShowsNoSecret() {
        assertThat(signer.toString()).doesNotContain(APP_SECRET).doesNotContain("MCC2JDe0GaXoBuG8dSekaTenWPX6RrOs");
    }
}
