package io.omnihub.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import me.chanjar.weixin.common.util.crypto.WxCryptUtil;
import org.junit.jupiter.api.Test;

/**
 * The simulated channels sign and encrypt their pushes as the real ones do: checked against the
 * published and computed vectors of PROTOCOLS and against WxJava, an independent implementation.
 */
class ChannelSigningTest {

    static final String AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    static final String APP_ID = "wxb11529c136998cb6";

    @Test
    void safeModeEncryptionReproducesWxJavasVectorAndItsSignature() {
        String encrypted = new WeChatCipher(AES_KEY, APP_ID).encrypt("aaaabbbbccccdddd".getBytes(StandardCharsets.UTF_8), "我是中文abcd123");

        assertThat(encrypted).isEqualTo("jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==");
        assertThat(WeChatCipher.signature("pamtest", "1409304348", "xxxxxx", encrypted))
                .isEqualTo("82c962d39941aa48552f90ef55aa323dc620cc10");
        assertThat(WeChatCipher.signature("pamtest", "1409304348", "xxxxxx")).isEqualTo("76480565cbe296026c53aaacd1ad523a1ddba24f");
    }

    @Test
    void aLongChineseMessageEncryptedHereIsDecryptedByWxJava() {
        String message = "<xml><Content><![CDATA[" + "你好，请问周末门店有跑团活动吗？".repeat(20) + "]]></Content></xml>";
        String encrypted = new WeChatCipher(AES_KEY, APP_ID).encrypt("0123456789abcdef".getBytes(StandardCharsets.UTF_8), message);

        assertThat(new WxCryptUtil("pamtest", AES_KEY, APP_ID).decrypt(encrypted)).isEqualTo(message);
    }

    @Test
    void douyinAndDoudianPushSignaturesMatchTheComputedVectors() {
        byte[] challenge = "{\"event\":\"verify_webhook\",\"client_key\":\"abc\",\"content\":{\"challenge\":12345}}"
                .getBytes(StandardCharsets.UTF_8);
        assertThat(DouyinChannel.sha1("test_client_secret".getBytes(StandardCharsets.UTF_8), challenge))
                .isEqualTo("ed6b1797456b888e29a8fcc49521ba7e1993f7bc");

        byte[] push = ("[{\"tag\":\"101\",\"msg_id\":\"7000000000000000001\",\"data\":\"{\\\"biz\\\":2,\\\"order_status\\\":2,"
                + "\\\"order_type\\\":0,\\\"p_id\\\":6920000000000000000,\\\"pay_amount\\\":9900,\\\"pay_time\\\":1700000000,"
                + "\\\"pay_type\\\":1,\\\"s_ids\\\":[6920000000000000001],\\\"shop_id\\\":12345}\"}]").getBytes(StandardCharsets.UTF_8);
        assertThat(DoudianChannel.eventSign("1234567890123456789", "test-app-secret", push)).isEqualTo("6784c8c4b3d1beb278df5d4bef201b4e");
    }
}
