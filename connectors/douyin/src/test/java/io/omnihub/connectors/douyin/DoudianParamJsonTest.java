package io.omnihub.connectors.douyin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class DoudianParamJsonTest {

    private static ObjectNode object() {
        return DouyinJson.MAPPER.createObjectNode();
    }

    @Test
    void writesTheProtocolExampleExactly() {
        assertThat(DoudianParamJson.write(object().put("shop_order_id", "6920000000000000000")))
                .isEqualTo("{\"shop_order_id\":\"6920000000000000000\"}");
    }

    @Test
    void sortsKeysRecursivelyAndWritesCompactly() {
        ObjectNode params = object().put("shop_id", 12345L).put("grant_type", "authorization_self").put("code", "");
        params.putArray("cipher_infos").addObject().put("cipher_text", "#abc#").put("auth_id", "6920000000000000000");

        assertThat(DoudianParamJson.write(params)).isEqualTo("{\"cipher_infos\":[{\"auth_id\":\"6920000000000000000\","
                + "\"cipher_text\":\"#abc#\"}],\"code\":\"\",\"grant_type\":\"authorization_self\",\"shop_id\":12345}");
    }

    @Test
    void keepsChineseAndHtmlCharactersAsTheyAreLikeGoWithHtmlEscapingOff() {
        assertThat(DoudianParamJson.write(object().put("remark", "送小样 <b>&'</b>")))
                .isEqualTo("{\"remark\":\"送小样 <b>&'</b>\"}");
    }

    @Test
    void escapesQuotesBackslashesAndControlCharactersLikeGo() {
        assertThat(DoudianParamJson.write(object().put("t", "a\"b\\c\nd\te\u0001f\u2028")))
                .isEqualTo("{\"t\":\"a\\\"b\\\\c\\nd\\te\\u0001f\\u2028\"}");
    }

    @Test
    void writesInt64NumbersWithEveryDigit() {
        assertThat(DoudianParamJson.write(object().put("p_id", 6920000000000000001L)))
                .isEqualTo("{\"p_id\":6920000000000000001}");
    }

    @Test
    void writesNoParametersAsAnEmptyObject() {
        assertThat(DoudianParamJson.write(null)).isEqualTo("{}");
        assertThat(DoudianParamJson.write(object())).isEqualTo("{}");
    }
}
