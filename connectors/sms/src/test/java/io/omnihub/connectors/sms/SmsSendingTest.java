package io.omnihub.connectors.sms;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.omnihub.connector.action.ActionResult;
import io.omnihub.connector.action.OutboundAction;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.errors.ConfigException;
import io.omnihub.connector.errors.RateLimitedException;
import io.omnihub.connector.event.Identity;
import io.omnihub.testkit.TestConnectorContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What goes over the wire to each vendor, checked on the request WireMock received. */
class SmsSendingTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final Instant NOW = Instant.parse("2025-05-20T16:30:00Z"); // 00:30 on the 21st in Beijing
    private static final Identity PHONE = Identity.phone("13800138000");

    private static ActionSender sender(Map<String, String> config) {
        TestConnectorContext ctx = TestConnectorContext.of("sms", "brand", config);
        ctx.mutableClock().set(NOW);
        return new ActionSender(ctx, (SmsActionSender) new SmsConnector().open(ctx).actions().orElseThrow());
    }

    private record ActionSender(TestConnectorContext ctx, SmsActionSender sender) {
        ActionResult send(Map<String, Object> payload) {
            return sender.send(new OutboundAction("enr-7:step-1", SmsActionSender.SEND, PHONE, payload));
        }
    }

    private static LoggedRequest onlyRequest() {
        List<LoggedRequest> requests = wm.findAll(postRequestedFor(urlEqualTo("/")));
        assertThat(requests).hasSize(1);
        return requests.get(0);
    }

    @Test
    void aliyunSendSmsCarriesTemplateSignParametersAndOutIdAndASignatureOverExactlyThoseParameters() throws Exception {
        wm.stubFor(AliyunSmsStubs.action("SendSms", AliyunSmsStubs.ACCESS_KEY_ID).willReturn(AliyunSmsStubs.sent("900619746936498440^0")));

        ActionResult result = sender(AliyunSmsStubs.config(wm.baseUrl())).send(Map.of(
                "template_code", "SMS_71390007", "sign_name", "奥米会员", "params", Map.of("name", "李雷", "days", 7)));

        Map<String, String> form = AliyunSmsStubs.form(onlyRequest().getBodyAsString());
        assertThat(result.channelReference()).isEqualTo("900619746936498440^0");
        assertThat(form).containsEntry("Action", "SendSms").containsEntry("PhoneNumbers", "13800138000")
                .containsEntry("SignName", "奥米会员").containsEntry("TemplateCode", "SMS_71390007")
                .containsEntry("OutId", "enr-7:step-1").containsEntry("RegionId", "cn-hangzhou")
                .containsEntry("Timestamp", "2025-05-20T16:30:00Z").containsKey("SignatureNonce");
        JsonNode templateParam = SmsJson.MAPPER.readTree(form.get("TemplateParam"));
        assertThat(templateParam.get("name").asText()).isEqualTo("李雷");
        assertThat(templateParam.get("days").isTextual()).as("template values go as text").isTrue();
        assertThat(form.get("Signature")).isEqualTo(AliyunSigner.sign("POST", form, AliyunSmsStubs.ACCESS_KEY_SECRET));
    }

    @Test
    void aliyunUsesTheInstanceSignNameWhenTheActionNamesNone() {
        wm.stubFor(AliyunSmsStubs.action("SendSms", AliyunSmsStubs.ACCESS_KEY_ID).willReturn(AliyunSmsStubs.sent("1^0")));

        sender(AliyunSmsStubs.config(wm.baseUrl())).send(Map.of("template_code", "SMS_71390007"));

        assertThat(AliyunSmsStubs.form(onlyRequest().getBodyAsString())).containsEntry("SignName", AliyunSmsStubs.SIGN_NAME)
                .doesNotContainKey("TemplateParam");
    }

    @Test
    void tencentSendSmsIsSignedOverTheBodyAndHeadersItSendsWithTheUtcDate() throws Exception {
        wm.stubFor(TencentSmsStubs.action("SendSms", TencentSmsStubs.SECRET_ID)
                .willReturn(TencentSmsStubs.sent("2106:1045710669157053657849499619", "enr-7:step-1")));

        ActionResult result = sender(TencentSmsStubs.config(wm.baseUrl())).send(Map.of(
                "template_code", "1110", "params", Map.of("2", "CPN-8817", "1", "李雷")));

        LoggedRequest request = onlyRequest();
        JsonNode body = SmsJson.MAPPER.readTree(request.getBody());
        assertThat(result.channelReference()).isEqualTo("2106:1045710669157053657849499619");
        assertThat(body.get("PhoneNumberSet").get(0).asText()).isEqualTo("+8613800138000");
        assertThat(body.get("SmsSdkAppId").asText()).isEqualTo(TencentSmsStubs.SDK_APP_ID);
        assertThat(body.get("TemplateId").asText()).isEqualTo("1110");
        assertThat(body.get("TemplateParamSet").toString()).as("positional, by key").isEqualTo("[\"李雷\",\"CPN-8817\"]");
        assertThat(body.get("SessionContext").asText()).isEqualTo("enr-7:step-1");
        assertThat(request.getHeader("X-TC-Timestamp")).isEqualTo(Long.toString(NOW.getEpochSecond()));
        assertThat(request.getHeader("Authorization")).contains("/2025-05-20/sms/tc3_request")
                .isEqualTo(TencentSigner.authorization(TencentSmsStubs.SECRET_ID, TencentSmsStubs.SECRET_KEY, "sms",
                        request.getHeader("Host"), NOW.getEpochSecond(), request.getBody()));
    }

    @Test
    void aPerNumberLimitRefusesThisMessageOnlyWhileAnAccountQuotaWaitsUntilBeijingMidnight() {
        wm.stubFor(AliyunSmsStubs.action("SendSms", AliyunSmsStubs.ACCESS_KEY_ID)
                .willReturn(AliyunSmsStubs.error(200, "isv.BUSINESS_LIMIT_CONTROL", "触发天级流控Permits:10")));
        ActionSender aliyun = sender(AliyunSmsStubs.config(wm.baseUrl()));

        assertThatThrownBy(() -> aliyun.send(Map.of("template_code", "SMS_1"))).isInstanceOf(BadInputException.class)
                .hasMessageContaining("isv.BUSINESS_LIMIT_CONTROL");

        wm.resetAll();
        wm.stubFor(AliyunSmsStubs.action("SendSms", AliyunSmsStubs.ACCESS_KEY_ID)
                .willReturn(AliyunSmsStubs.error(200, "isv.DAY_LIMIT_CONTROL", "触发日发送限额")));
        assertThatThrownBy(() -> aliyun.send(Map.of("template_code", "SMS_1"))).isInstanceOfSatisfying(RateLimitedException.class,
                e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofMinutes(23 * 60 + 30)));
    }

    @Test
    void refusedCredentialsAndAnEmptyBalanceStopTheInstance() {
        wm.stubFor(TencentSmsStubs.action("SendSms", TencentSmsStubs.SECRET_ID)
                .willReturn(TencentSmsStubs.error(200, "AuthFailure.SignatureFailure", "The provided credentials could not be validated.")));
        assertThatThrownBy(() -> sender(TencentSmsStubs.config(wm.baseUrl())).send(Map.of("template_code", "1110")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("AuthFailure.SignatureFailure")
                .hasMessageNotContaining(TencentSmsStubs.SECRET_KEY);

        wm.resetAll();
        wm.stubFor(AliyunSmsStubs.action("SendSms", AliyunSmsStubs.ACCESS_KEY_ID)
                .willReturn(AliyunSmsStubs.error(200, "isv.OUT_OF_SERVICE", "业务停机")));
        assertThatThrownBy(() -> sender(AliyunSmsStubs.config(wm.baseUrl())).send(Map.of("template_code", "SMS_1")))
                .isInstanceOf(ConfigException.class);
    }

    @Test
    void actionsThatCanNeverBeSentAreRefusedBeforeAnyCall() {
        ActionSender aliyun = sender(AliyunSmsStubs.config(wm.baseUrl()));
        ActionSender tencent = sender(TencentSmsStubs.config(wm.baseUrl()));

        assertThatThrownBy(() -> aliyun.send(Map.of())).isInstanceOf(BadInputException.class).hasMessageContaining("template_code");
        assertThatThrownBy(() -> aliyun.send(Map.of("template_code", "SMS_1", "params", List.of("a"))))
                .isInstanceOf(BadInputException.class).hasMessageContaining("named parameters");
        assertThatThrownBy(() -> tencent.send(Map.of("template_code", "1110", "params", Map.of("name", "a"))))
                .isInstanceOf(BadInputException.class).hasMessageContaining("positional");
        assertThatThrownBy(() -> aliyun.sender().send(new OutboundAction("a:1", SmsActionSender.SEND,
                Identity.of("email", "li.lei@example.com"), Map.of("template_code", "SMS_1"))))
                .isInstanceOf(BadInputException.class).hasMessageContaining("phone");
        assertThat(wm.getAllServeEvents()).isEmpty();
    }

    @Test
    void longActionIdsGoAsAStableDigest() {
        String longId = "journey:" + "x".repeat(200) + ":step-1";

        assertThat(SmsActionSender.reference(longId)).hasSize(32).isEqualTo(SmsActionSender.reference(longId));
        assertThat(SmsActionSender.reference("enr-7:step-1")).isEqualTo("enr-7:step-1");
    }
}
