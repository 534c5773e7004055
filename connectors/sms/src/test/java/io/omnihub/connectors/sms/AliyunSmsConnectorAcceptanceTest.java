package io.omnihub.connectors.sms;

import static io.omnihub.connectors.sms.AliyunSmsStubs.ACCESS_KEY_ID;
import static io.omnihub.connectors.sms.AliyunSmsStubs.action;
import static io.omnihub.connectors.sms.AliyunSmsStubs.error;
import static io.omnihub.connectors.sms.AliyunSmsStubs.sent;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.omnihub.connector.ChannelConnector;
import io.omnihub.connector.action.OutboundAction;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.webhook.WebhookRequest;
import io.omnihub.testkit.ConnectorAcceptanceTest;
import io.omnihub.testkit.WebhookRequests;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The acceptance suite against Aliyun SMS. Callbacks carry no signature, only the callback key in
 * their URL, so {@link #forge} changes that key; they carry no timestamp either, so there is no
 * replay window to check.
 */
class AliyunSmsConnectorAcceptanceTest extends ConnectorAcceptanceTest {

    @Override
    protected ChannelConnector connector() {
        return new SmsConnector();
    }

    @Override
    protected Map<String, String> validConfig(String channelBaseUrl) {
        return AliyunSmsStubs.config(channelBaseUrl);
    }

    @Override
    protected void stubValidCredentials(WireMock channel) {
        AliyunSmsStubs.stubSignList(channel, ACCESS_KEY_ID);
    }

    @Override
    protected Map<String, String> badCredentialsConfig(String channelBaseUrl) {
        Map<String, String> config = new HashMap<>(validConfig(channelBaseUrl));
        config.put("access-key-id", "LTAI5tWrongKeyId00000000");
        return config;
    }

    @Override
    protected void stubBadCredentials(WireMock channel) {
        channel.register(action("QuerySmsSignList", "LTAI5tWrongKeyId00000000")
                .willReturn(error(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")));
    }

    @Override
    protected Set<String> expectedSecretKeys() {
        return Set.of("access-key-secret", "callback-key");
    }

    @Override
    protected List<WebhookRequest> signedWebhookSamples(Map<String, String> config, Instant now) {
        return List.of(
                WebhookRequests.get().query("key", config.get("callback-key")).receivedAt(now).build(),
                SmsCallbacks.post("aliyun-report.json", config.get("callback-key"), now),
                SmsCallbacks.post("aliyun-up-unsubscribe.json", config.get("callback-key"), now),
                SmsCallbacks.post("aliyun-up-text.json", config.get("callback-key"), now));
    }

    @Override
    protected WebhookRequest forge(WebhookRequest signed) {
        return SmsCallbacks.withWrongKey(signed);
    }

    @Override
    protected List<OutboundAction> actionSamples() {
        return List.of(new OutboundAction("enr-42:step-2", SmsActionSender.SEND, Identity.phone("13800138000"),
                Map.of("template_code", "SMS_71390007", "params", Map.of("name", "李雷", "coupon", "CPN-8817"))));
    }

    @Override
    protected void stubActionAnswer(WireMock channel, ActionAnswer answer) {
        channel.register(action("SendSms", ACCESS_KEY_ID).willReturn(switch (answer) {
            case ACCEPTED -> sent("900619746936498440^0");
            case SERVER_ERROR -> error(500, "isp.SYSTEM_ERROR", "isp.SYSTEM_ERROR");
            case RATE_LIMITED -> error(400, "Throttling.User", "Request was denied due to user flow control.");
            case REJECTED -> error(200, "isv.MOBILE_NUMBER_ILLEGAL", "非法手机号");
        }));
    }
}
