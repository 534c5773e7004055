package io.omnihub.connectors.tmall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class TopSignerTest {

    /** The legacy example of PROTOCOLS §5 (segmentfault q/1010000002569107): app key, secret and session "test". */
    private static Map<String, String> vectorParams(String signMethod) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("method", "taobao.user.seller.get");
        params.put("app_key", "test");
        params.put("session", "test");
        params.put("timestamp", "2013-05-06 13:52:03");
        params.put("format", "xml");
        params.put("v", "2.0");
        params.put("sign_method", signMethod);
        params.put("fields", "nick");
        return params;
    }

    /** The string TOP hashes for the vector: sorted name+value pairs. */
    private static final String VECTOR_STRING = "app_keytestfieldsnickformatxmlmethodtaobao.user.seller.get"
            + "sessiontestsign_methodmd5timestamp2013-05-06 13:52:03v2.0";

    @Test
    void md5SignatureMatchesThePublishedVector() {
        assertThat(TopSigner.sign(vectorParams("md5"), "test", TopSigner.Method.MD5))
                .isEqualTo("72CB4D809B375A54502C09360D879C64");
    }

    @Test
    void theSignedStringIsSortedNamesAndValues() {
        assertThat(TopSigner.canonical(vectorParams("md5"))).isEqualTo(VECTOR_STRING);
    }

    @Test
    void hmacIsHmacMd5KeyedWithTheSecretOverTheSameString() throws Exception {
        Map<String, String> params = vectorParams("hmac");
        String expected = hex(mac("HmacMD5", "test", VECTOR_STRING.replace("sign_methodmd5", "sign_methodhmac")));

        assertThat(TopSigner.sign(params, "test", TopSigner.Method.HMAC)).isEqualTo(expected).hasSize(32);
    }

    @Test
    void hmacSha256IsHmacSha256KeyedWithTheSecretOverTheSameString() throws Exception {
        Map<String, String> params = vectorParams("hmac-sha256");
        String expected = hex(mac("HmacSHA256", "test",
                VECTOR_STRING.replace("sign_methodmd5", "sign_methodhmac-sha256")));

        assertThat(TopSigner.sign(params, "test", TopSigner.Method.HMAC_SHA256)).isEqualTo(expected).hasSize(64);
    }

    @Test
    void outputIsUppercaseHex() {
        assertThat(TopSigner.sign(vectorParams("hmac-sha256"), "test", TopSigner.Method.HMAC_SHA256))
                .matches("[0-9A-F]{64}");
    }

    @Test
    void signAndEmptyValuesAreLeftOut() {
        Map<String, String> params = vectorParams("md5");
        params.put("sign", "ABCDEF0123456789ABCDEF0123456789");
        params.put("partner_id", "");

        assertThat(TopSigner.canonical(params)).isEqualTo(VECTOR_STRING);
        assertThat(TopSigner.sign(params, "test", TopSigner.Method.MD5)).isEqualTo("72CB4D809B375A54502C09360D879C64");
    }

    @Test
    void keysAreSortedByAsciiNotByInsertion() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("page_no", "2");
        params.put("fields", "tid");
        params.put("Z", "upper");

        // ASCII: uppercase before lowercase, '_' (0x5F) before letters.
        assertThat(TopSigner.canonical(params)).isEqualTo("Zupperfieldstidpage_no2");
    }

    @Test
    void chineseValuesAreSignedAsUtf8() throws Exception {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("seller_nick", "欧姆尼官方旗舰店");
        params.put("sign_method", "hmac-sha256");
        String expected = hex(mac("HmacSHA256", "s3cr3t", "seller_nick欧姆尼官方旗舰店sign_methodhmac-sha256"));

        assertThat(TopSigner.sign(params, "s3cr3t", TopSigner.Method.HMAC_SHA256)).isEqualTo(expected);
    }

    @Test
    void aBodyIsAppendedToTheSignedString() throws Exception {
        Map<String, String> params = Map.of("method", "qimen.taobao.batch", "sign_method", "hmac");
        String body = "{\"items\":[1,2]}";
        String expected = hex(mac("HmacMD5", "s3cr3t", "methodqimen.taobao.batchsign_methodhmac" + body));

        assertThat(TopSigner.sign(params, body, "s3cr3t", TopSigner.Method.HMAC)).isEqualTo(expected);
    }

    @Test
    void signMethodsAreReadFromTheirTopNames() {
        assertThat(TopSigner.Method.of("md5")).isEqualTo(TopSigner.Method.MD5);
        assertThat(TopSigner.Method.of("HMAC")).isEqualTo(TopSigner.Method.HMAC);
        assertThat(TopSigner.Method.of(" hmac-sha256 ")).isEqualTo(TopSigner.Method.HMAC_SHA256);
        assertThatThrownBy(() -> TopSigner.Method.of("sha1")).isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] mac(String algorithm, String key, String text) throws Exception {
        Mac mac = Mac.getInstance(algorithm);
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), algorithm));
        return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().withUpperCase().formatHex(bytes);
    }
}
