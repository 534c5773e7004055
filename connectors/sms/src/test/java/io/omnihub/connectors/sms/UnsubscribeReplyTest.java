package io.omnihub.connectors.sms;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UnsubscribeReplyTest {

    @ParameterizedTest
    @ValueSource(strings = {"TD", "td", "T", "t", "退订", "退定", "退", "TD退订", "退订TD", "回TD退订", "T退订", " TD ", "td。",
            "ＴＤ", "【退订】", "T D", "取消订阅", "拒收", "stop", "Unsubscribe"})
    void theseRepliesWithdrawSmsMarketingConsent(String reply) {
        assertThat(UnsubscribeReply.isUnsubscribe(reply)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "好的", "我不想退订", "TD是什么", "N", "R", "1", "退款", "tdd", "STOP IT", "明天到店"})
    void theseRepliesDoNot(String reply) {
        assertThat(UnsubscribeReply.isUnsubscribe(reply)).isFalse();
    }
}
