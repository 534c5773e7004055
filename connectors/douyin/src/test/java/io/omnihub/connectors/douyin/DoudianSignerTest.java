package io.omnihub.connectors.douyin;

import static org.assertj.core.api.Assertions.assertThat;

import io.omnihub.connectors.douyin.DoudianSigner.SignMethod;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DoudianSignerTest {

    /** PROTOCOLS §4, computed example. */
    private static final String APP_KEY = "1234567890123456789";
    private static final String SECRET = "test-app-secret";
    private static final String METHOD = "order.orderDetail";
    private static final String TIMESTAMP = "1700000000";
    private static final String PARAM_JSON = "{\"shop_order_id\":\"6920000000000000000\"}";

    @Test
    void requestPatternWrapsTheSortedParametersInTheSecret() {
        assertThat(DoudianSigner.requestPattern(APP_KEY, SECRET, METHOD, TIMESTAMP, PARAM_JSON)).isEqualTo(
                "test-app-secretapp_key1234567890123456789methodorder.orderDetail"
                        + "param_json{\"shop_order_id\":\"6920000000000000000\"}timestamp1700000000v2test-app-secret");
    }

    @Test
    void signsARequestWithHmacSha256AsTheProtocolVector() {
        assertThat(DoudianSigner.signRequest(SignMethod.HMAC_SHA256, APP_KEY, SECRET, METHOD, TIMESTAMP, PARAM_JSON))
                .isEqualTo("e2fe327ef8bf0396a7b47985f16a2e3527df1ab42ffe230f419c422f69855adf");
    }

    @Test
    void signsARequestWithLegacyMd5AsTheProtocolVector() {
        assertThat(DoudianSigner.signRequest(SignMethod.MD5, APP_KEY, SECRET, METHOD, TIMESTAMP, PARAM_JSON))
                .isEqualTo("09d533c1226c66bc3bca6005e27b43c2");
    }

    @Test
    void signsThePushOfTheProtocolVectorWithMd5() {
        byte[] body = DouyinFixtures.resource("shop/push-101-paid.json");

        assertThat(DoudianSigner.signPush(SignMethod.MD5, APP_KEY, SECRET, body)).isEqualTo("6784c8c4b3d1beb278df5d4bef201b4e");
    }

    @Test
    void signsThePushWithHmacSha256WhenAskedTo() {
        byte[] body = DouyinFixtures.resource("shop/push-101-paid.json");

        // Self-computed (Python hmac over the same bytes), as the variant is undocumented.
        assertThat(DoudianSigner.signPush(SignMethod.HMAC_SHA256, APP_KEY, SECRET, body))
                .isEqualTo("48890d130b3adeb1837469e9cd294492e755d938e4fd99adcf46e53fa6b08aab");
    }

    @Test
    void signsTheRawBytesOfAPushWithChineseText() {
        byte[] body = "[{\"tag\":\"106\",\"msg_id\":\"1\",\"data\":\"{\\\"cancel_reason\\\":\\\"买家不想要了\\\"}\"}]"
                .getBytes(StandardCharsets.UTF_8);

        assertThat(DoudianSigner.signPush(SignMethod.MD5, APP_KEY, SECRET, body))
                .isEqualTo(DouyinFixtures.eventSign(APP_KEY, body, SECRET));
    }

    @Test
    void namesTheSignMethodsAsTheHeadersDo() {
        assertThat(SignMethod.of("hmac-sha256")).contains(SignMethod.HMAC_SHA256);
        assertThat(SignMethod.of("HMAC-SHA256")).contains(SignMethod.HMAC_SHA256);
        assertThat(SignMethod.of("md5")).contains(SignMethod.MD5);
        assertThat(SignMethod.of("sha1")).isEmpty();
    }

    @Test
    void matchesIgnoringHexCaseButNothingElse() {
        String sign = "6784c8c4b3d1beb278df5d4bef201b4e";
        assertThat(DoudianSigner.matches(sign.toUpperCase(), sign)).isTrue();
        assertThat(DoudianSigner.matches("7784c8c4b3d1beb278df5d4bef201b4e", sign)).isFalse();
        assertThat(DoudianSigner.matches(null, sign)).isFalse();
    }
}
