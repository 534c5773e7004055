package io.omnihub.connectors.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.errors.BadSignatureException;
import io.omnihub.connector.event.Channels;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.EventTypes;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.webhook.WebhookRequest;
import io.omnihub.connector.webhook.WebhookResult;
import io.omnihub.testkit.TestConnectorContext;
import io.omnihub.testkit.WebhookRequests;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Receipts and replies as each vendor pushes them, through the handler and the normalizer. */
class SmsCallbackTest {

    private static final Instant NOW = Instant.parse("2025-05-20T02:10:00Z");

    private static ConnectorInstance open(Map<String, String> config) {
        return new SmsConnector().open(TestConnectorContext.of("sms", "brand", config));
    }

    private static WebhookRequest callback(String file, String key) {
        return SmsCallbacks.post(file, key, NOW);
    }

    private static List<CustomerEvent> receive(ConnectorInstance instance, WebhookRequest request) {
        WebhookResult result = instance.webhook().orElseThrow().handle(request);
        return result.records().stream().flatMap(r -> instance.normalizer().normalize(r).stream()).toList();
    }

    @Test
    void aliyunReceiptsBecomeDeliveryEventsNamingTheActionAndTheVendorsMessage() {
        ConnectorInstance aliyun = open(AliyunSmsStubs.config("http://127.0.0.1:9"));
        WebhookResult result = aliyun.webhook().orElseThrow().handle(callback("aliyun-report.json", AliyunSmsStubs.CALLBACK_KEY));

        List<CustomerEvent> events = receive(aliyun, callback("aliyun-report.json", AliyunSmsStubs.CALLBACK_KEY));

        assertThat(result.reply().bodyAsUtf8()).isEqualTo("{\"code\":0,\"msg\":\"接收成功\"}");
        assertThat(events).hasSize(2).allSatisfy(e -> assertThat(e.type()).isEqualTo(EventTypes.MESSAGE_DELIVERY));
        CustomerEvent delivered = events.get(0);
        assertThat(delivered.id()).isEqualTo("sms:aliyun:900619746936498440^0:+8613800138000");
        assertThat(delivered.data().identities()).containsExactly(Identity.phone("13800138000"));
        assertThat(delivered.time()).isEqualTo(OffsetDateTime.parse("2025-05-20T10:00:05+08:00"));
        assertThat(delivered.data().extra()).containsEntry("channel", "sms").containsEntry("actionId", "enr-42:step-2")
                .containsEntry("messageId", "900619746936498440^0").containsEntry("status", "delivered")
                .containsEntry("code", "DELIVERED");
        assertThat(events.get(1).data().extra()).containsEntry("status", "failed").containsEntry("code", "MK:0001");
    }

    @Test
    void anUnsubscribeReplyWithdrawsSmsMarketingConsentAndNothingElse() {
        ConnectorInstance aliyun = open(AliyunSmsStubs.config("http://127.0.0.1:9"));

        CustomerEvent event = receive(aliyun, callback("aliyun-up-unsubscribe.json", AliyunSmsStubs.CALLBACK_KEY)).get(0);

        assertThat(event.type()).isEqualTo(EventTypes.CONSENT_CHANGED);
        assertThat(event.id()).isEqualTo("sms:aliyun:up:1234567890");
        assertThat(event.data().consent().marketingChannels()).containsExactly(Map.entry(Channels.SMS, false));
        assertThat(event.data().consent().marketing()).isNull();
        assertThat(event.data().consent().crossChannelLinking()).isNull();
        assertThat(event.data().message().text()).isEqualTo("TD");
    }

    @Test
    void otherRepliesAreMessagesFromTheCustomer() {
        ConnectorInstance tencent = open(TencentSmsStubs.config("http://127.0.0.1:9"));

        CustomerEvent event = receive(tencent, callback("tencent-reply-text.json", TencentSmsStubs.CALLBACK_KEY)).get(0);

        assertThat(event.type()).isEqualTo(EventTypes.MESSAGE_RECEIVED);
        assertThat(event.data().message().text()).isEqualTo("好的，谢谢");
        assertThat(event.data().identities()).containsExactly(Identity.phone("+8613800138000"));
        assertThat(event.time().toInstant()).isEqualTo(Instant.ofEpochSecond(1747706640));
    }

    @Test
    void tencentReceiptsAndUnsubscribeRepliesAreAnsweredAsTencentExpects() {
        ConnectorInstance tencent = open(TencentSmsStubs.config("http://127.0.0.1:9"));
        WebhookResult result = tencent.webhook().orElseThrow().handle(callback("tencent-report.json", TencentSmsStubs.CALLBACK_KEY));

        CustomerEvent receipt = tencent.normalizer().normalize(result.records().get(0)).get(0);
        CustomerEvent unsubscribe = receive(tencent, callback("tencent-reply-unsubscribe.json", TencentSmsStubs.CALLBACK_KEY)).get(0);

        assertThat(result.reply().bodyAsUtf8()).isEqualTo("{\"result\":0,\"errmsg\":\"OK\"}");
        assertThat(receipt.id()).isEqualTo("sms:tencent:1400787878:report:2106:1045710669157053657849499619");
        assertThat(receipt.data().extra()).containsEntry("status", "delivered").containsEntry("messageId", "2106:1045710669157053657849499619");
        assertThat(unsubscribe.type()).isEqualTo(EventTypes.CONSENT_CHANGED);
        assertThat(unsubscribe.data().consent().marketingOn(Channels.SMS)).contains(false);
    }

    @Test
    void callbacksWithoutTheRightKeyAreRefusedUnread() {
        ConnectorInstance aliyun = open(AliyunSmsStubs.config("http://127.0.0.1:9"));
        byte[] junk = "not even json".getBytes();

        assertThatThrownBy(() -> aliyun.webhook().orElseThrow().handle(WebhookRequests.post(junk).receivedAt(NOW).build()))
                .isInstanceOf(BadSignatureException.class);
        assertThatThrownBy(() -> aliyun.webhook().orElseThrow().handle(WebhookRequests.post(junk).query("key", "cbk_guess_guess_guess").receivedAt(NOW).build()))
                .isInstanceOf(BadSignatureException.class).hasMessageNotContaining(AliyunSmsStubs.CALLBACK_KEY);
        assertThatThrownBy(() -> aliyun.webhook().orElseThrow().handle(WebhookRequests.post(junk).query("key", AliyunSmsStubs.CALLBACK_KEY).receivedAt(NOW).build()))
                .as("authenticated junk is bad input, kept for an operator").isInstanceOf(BadInputException.class);
    }

    @Test
    void anInstanceWithoutCallbackKeyRefusesEveryCallback() {
        Map<String, String> config = new HashMap<>(AliyunSmsStubs.config("http://127.0.0.1:9"));
        config.remove("callback-key");

        assertThatThrownBy(() -> open(config).webhook().orElseThrow().handle(callback("aliyun-report.json", AliyunSmsStubs.CALLBACK_KEY)))
                .isInstanceOf(BadSignatureException.class).hasMessageContaining("no callback-key");
    }
}
