package io.omnihub.routes.broker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PersonalDataMaskTest {

    @Test
    void phoneNumbersKeepOnlyTheirEnds() {
        assertThat(PersonalDataMask.mask("call 13912345678 or +8613912345678"))
                .isEqualTo("call 139******78 or +86139******78");
    }

    @Test
    void channelIdsKeepOnlyTheirEnds() {
        assertThat(PersonalDataMask.mask("<FromUserName><![CDATA[o6_bmjrPTlm6_2sgVt7hMZOPfL2M]]></FromUserName>"))
                .isEqualTo("<FromUserName><![CDATA[o6_b****fL2M]]></FromUserName>");
    }

    @Test
    void ordinaryWordsAndShortNumbersStay() {
        assertThat(PersonalDataMask.mask("change_external_contact at 1348831860"))
                .isEqualTo("change_external_contact at 1348831860");
    }
}
