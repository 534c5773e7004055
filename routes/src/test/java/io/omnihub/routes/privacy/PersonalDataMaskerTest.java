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

    @Test
    void channelIdsNamesAndAddressesInJsonAreMaskedByFieldName() {
        String tmallTrade = "{\"tid\":\"3712345678901234501\",\"buyer_open_uid\":\"AAHm5d-EAAeGwJedwSHpg8bT\","
                + "\"buyer_nick\":\"t**1\",\"receiver_name\":\"王小明\",\"receiver_address\":\"南京西路1号\",\"payment\":\"200.07\"}";

        String masked = PersonalDataMasker.mask(tmallTrade);

        assertThat(masked).doesNotContain("AAHm5d-EAAeGwJedwSHpg8bT", "王小明", "南京西路1号")
                .contains("\"buyer_open_uid\":\"A***\"", "\"receiver_name\":\"王***\"",
                        "\"tid\":\"3712345678901234501\"", "\"payment\":\"200.07\"");
    }

    @Test
    void fieldsOfJsonCarriedAsAnEscapedStringAreMaskedToo() {
        String doudianPush = "[{\"tag\":\"102\",\"data\":\"{\\\"doudian_open_id\\\":\\\"1@#buyer-secretish\\\","
                + "\\\"receiver_msg\\\":{\\\"addr\\\":\\\"静安区\\\",\\\"name\\\":\\\"张三\\\",\\\"tel\\\":\\\"0571-88886666\\\"},"
                + "\\\"p_id\\\":6920000000000000000}\"}]";

        String masked = PersonalDataMasker.mask(doudianPush);

        assertThat(masked).doesNotContain("1@#buyer-secretish", "静安区", "张三", "0571-88886666")
                .contains("\\\"tel\\\":\\\"0***\\\"", "6920000000000000000");
    }

    @Test
    void kingdeeAndPosMembersAndEmailAddressesAreMasked() {
        assertThat(PersonalDataMasker.mask("{\"FNumber\":\"CUST0231\",\"FName\":\"王小明\",\"FTEL\":\"0571-88886666\"}"))
                .isEqualTo("{\"FNumber\":\"C***\",\"FName\":\"王***\",\"FTEL\":\"0***\"}");
        assertThat(PersonalDataMasker.mask("{\"customerUid\":592384817498735216,\"memberCard\":\"VIP0001\"}"))
                .isEqualTo("{\"customerUid\":\"5***\",\"memberCard\":\"V***\"}");
        assertThat(PersonalDataMasker.mask("reply to wang.xiaoming+crm@example.com.cn please"))
                .isEqualTo("reply to w***@example.com.cn please");
    }

    @Test
    void valuesPostgreSqlQuotesInItsErrorsAreMaskedWhateverColumnTheyCameFrom() {
        assertThat(PersonalDataMasker.mask("ERROR: duplicate key value violates unique constraint \"crm_identity_pkey\"\n"
                + "  Detail: Key (type, namespace, value)=(name, , 王芳) already exists."))
                .isEqualTo("ERROR: duplicate key value violates unique constraint \"crm_identity_pkey\"\n"
                        + "  Detail: Key (type, namespace, value)=(***) already exists.");
        assertThat(PersonalDataMasker.mask("Detail: Failing row contains (42, 王芳, 上海市静安区南京西路 1 号, null)."))
                .isEqualTo("Detail: Failing row contains (***).");
        assertThat(PersonalDataMasker.mask("ERROR: invalid input syntax for type uuid: \"wang-fang\""))
                .isEqualTo("ERROR: invalid input syntax for type uuid: \"***\"");
        assertThat(PersonalDataMasker.mask("Detail: Token \"王芳\" is invalid."))
                .isEqualTo("Detail: Token \"***\" is invalid.");
        assertThat(PersonalDataMasker.mask("Batch entry 0 insert into crm_customer (id, name) values ('1', '王''芳') was aborted: ERROR"))
                .isEqualTo("Batch entry 0 insert into crm_customer (id, name) values ('***', '***') was aborted: ERROR");
    }
}
