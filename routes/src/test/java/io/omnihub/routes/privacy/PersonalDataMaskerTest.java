package io.omnihub.routes.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What logs show of personal data and secrets. */
class PersonalDataMaskerTest {

    @Test
    void mainlandMobileNumbersKeepOnlyTheirEnds() {
        assertThat(PersonalDataMasker.mask("call 13812345678 now")).isEqualTo("call 138****5678 now");
        assertThat(PersonalDataMasker.mask("tel:8613812345678")).isEqualTo("tel:86138****5678");
    }

    @Test
    void e164NumbersKeepCountryCodeAndLastDigits() {
        assertThat(PersonalDataMasker.mask("phone=+8613812345678,"))
                .isEqualTo("phone=+86*********78,");
        assertThat(PersonalDataMasker.mask("+4915112345678")).isEqualTo("+49*********78");
    }

    @Test
    void weChatOpenidsUnionidsAndExternalUserIdsAreMasked() {
        assertThat(PersonalDataMasker.mask("<FromUserName><![CDATA[oU7bN5aBcDeFgHiJkLmNoPqRsTuV]]></FromUserName>"))
                .isEqualTo("<FromUserName><![CDATA[oU7b****]]></FromUserName>");
        assertThat(PersonalDataMasker.mask("external wmAbCdEfGhIjKlMnOpQrStUvWxYz012345 joined"))
                .isEqualTo("external wmAb**** joined");
    }

    @Test
    void credentialsInQueriesAndKeyValuePairsAreMasked() {
        assertThat(PersonalDataMasker.mask("GET /cgi-bin/user/info?access_token=ACCESS-TOKEN-123&openid=x"))
                .isEqualTo("GET /cgi-bin/user/info?access_token=******&openid=x");
        assertThat(PersonalDataMasker.mask("{\"app-secret\":\"abcdef123456\"}")).isEqualTo("{\"app-secret\":\"******\"}");
    }

    @Test
    void configuredSecretsAreMaskedWhereverTheyAppear() {
        assertThat(PersonalDataMasker.mask("signature base was tokenXYZ987 + nonce", List.of("tokenXYZ987")))
                .isEqualTo("signature base was ****** + nonce");
    }

    @Test
    void ordinaryTextIsLeftAlone() {
        String text = "Plugin 'wechat' 0.1.0 started from wechat-plugin.jar on port 8080 at 2026-01-01T00:00:00Z";
        assertThat(PersonalDataMasker.mask(text)).isEqualTo(text);
    }
}
