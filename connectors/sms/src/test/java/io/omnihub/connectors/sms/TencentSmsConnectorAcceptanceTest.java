package io.omnihub.connectors.sms;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static io.omnihub.connectors.sms.TencentSmsStubs.SECRET_ID;
import static io.omnihub.connectors.sms.TencentSmsStubs.action;
import static io.omnihub.connectors.sms.TencentSmsStubs.error;
import static io.omnihub.connectors.sms.TencentSmsStubs.sent;

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

/** The acceptance suite against Tencent Cloud SMS; callbacks authenticated as for Aliyun. */
class TencentSmsConnectorAcceptanceTest extends ConnectorAcceptanceTest {

    private static final String WRONG_SECRET_ID = "AKIDWrongWrongWrongWrongWrongWrong00";

    @Override
    protected ChannelConnector connector() {
        return new SmsConnector();
    }

    @Override
    protected Map<String, String> validConfig(String channelBaseUrl) {
        return TencentSmsStubs.config(channelBaseUrl);
    }

    @Override
    protected void stubValidCredentials(WireMock channel) {
        channel.register(action("DescribeSmsTemplateList", SECRET_ID).willReturn(okJson(
                "{\"Response\":{\"DescribeTemplateStatusSet\":[{\"TemplateId\":1110,\"International\":0,\"StatusCode\":0,"
                        + "\"ReviewReply\":\"\",\"TemplateName\":\"到店提醒\",\"CreateTime\":1617379200}],"
                        + "\"RequestId\":\"c2ccdec8-0000-4000-8000-000000000003\"}}")));
    }

    @Override
    protected Map<String, String> badCredentialsConfig(String channelBaseUrl) {
        Map<String, String> config = new HashMap<>(validConfig(channelBaseUrl));
        config.put("secret-id", WRONG_SECRET_ID);
        return config;
    }

    @Override
    protected void stubBadCredentials(WireMock channel) {
        channel.register(action("DescribeSmsTemplateList", WRONG_SECRET_ID)
                .willReturn(error(200, "AuthFailure.SecretIdNotFound", "The SecretId is not found, please ensure that your SecretId is correct.")));
    }

    @Override
    protected Set<String> expectedSecretKeys() {
        return Set.of("secret-key", "callback-key");
    }

    @Override
    protected List<WebhookRequest> signedWebhookSamples(Map<String, String> config, Instant now) {
        return List.of(
                SmsCallbacks.post("tencent-report.json", config.get("callback-key"), now),
                SmsCallbacks.post("tencent-reply-unsubscribe.json", config.get("callback-key"), now),
                SmsCallbacks.post("tencent-reply-text.json", config.get("callback-key"), now));
    }

    @Override
    protected WebhookRequest forge(WebhookRequest signed) {
        return SmsCallbacks.withWrongKey(signed);
    }

    @Override
    protected List<OutboundAction> actionSamples() {
        return List.of(new OutboundAction("enr-42:step-2", SmsActionSender.SEND, Identity.phone("13800138000"),
                Map.of("template_code", "1110", "params", List.of("李雷", "CPN-8817"))));
    }

    @Override
    protected void stubActionAnswer(WireMock channel, ActionAnswer answer) {
        channel.register(action("SendSms", SECRET_ID).willReturn(switch (answer) {
            case ACCEPTED -> sent("2106:1045710669157053657849499619", "enr-42:step-2");
            case SERVER_ERROR -> error(200, "InternalError.Timeout", "请求下发短信超时");
            case RATE_LIMITED -> error(200, "RequestLimitExceeded", "请求的次数超过了频率限制。");
            case REJECTED -> TencentSmsStubs.numberRefused("InvalidParameterValue.IncorrectPhoneNumber", "手机号格式错误");
        }));
    }
}
