package io.omnihub.demo;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The channels the hub sends through: Aliyun SMS answers SendSms as Dysmsapi does and pushes the
 * receipt to the hub's callback URL with its key; the mail server keeps what it takes, and the
 * customer's unsubscribe follows the mail's own List-Unsubscribe link, one-click.
 */
class OutboundChannelsTest {

    final BrandAccounts accounts = new BrandAccounts();
    final Cast cast = new Cast();
    final Answers answers = new Answers();
    final WireMockServer channels = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").extensions(answers));
    final WireMockServer hub = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    final AliyunSmsChannel sms = new AliyunSmsChannel(accounts, cast);
    final MailChannel mail = new MailChannel();
    HubClient hubClient;

    @BeforeEach
    void start() {
        channels.start();
        hub.start();
        mail.start();
        sms.install(channels, answers);
        hub.stubFor(post(urlPathEqualTo("/hooks/sms/brand-sms")).willReturn(ok()));
        hub.stubFor(post(urlPathEqualTo("/hooks/email/brand-mail")).willReturn(ok()));
        hubClient = new HubClient(hub.baseUrl(), "u", "p");
    }

    @AfterEach
    void stop() {
        sms.close();
        mail.close();
        channels.stop();
        hub.stop();
    }

    @Test
    void aSentSmsIsAnsweredWithABizIdAndItsReceiptIsPushedToTheCallbackUrlWithTheKey() throws Exception {
        sms.reportTo(hubClient);
        String form = "AccessKeyId=" + BrandAccounts.ALIYUN_ACCESS_KEY_ID + "&Action=SendSms&Format=JSON&OutId=enr-1%3Aconfirm-by-sms"
                + "&PhoneNumbers=" + cast.liuYang.phone() + "&SignName=%E6%BE%9C%E6%B9%96%E8%B7%91%E8%80%85&TemplateCode=SMS_480150001"
                + "&Version=2017-05-25&Signature=x";
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(channels.baseUrl() + "/aliyun-sms/"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());

        JsonNode sent = Recorded.parse(answer.body());
        assertThat(sent.path("Code").asText()).isEqualTo("OK");
        String bizId = sent.path("BizId").asText();
        assertThat(bizId).endsWith("^0");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> hub.verify(postRequestedFor(urlPathEqualTo("/hooks/sms/brand-sms"))
                .withQueryParam("key", equalTo(accounts.smsCallbackKey))
                .withRequestBody(matchingJsonPath("$[0].biz_id", equalTo(bizId)))
                .withRequestBody(matchingJsonPath("$[0].phone_number", equalTo(cast.liuYang.phone())))
                .withRequestBody(matchingJsonPath("$[0].out_id", equalTo("enr-1:confirm-by-sms")))
                .withRequestBody(matchingJsonPath("$[0].success", equalTo("true")))));
    }

    @Test
    void aTdReplyIsPushedAsAnSmsUpEntry() {
        sms.reply(hubClient, cast.liuYang, "TD");

        hub.verify(postRequestedFor(urlPathEqualTo("/hooks/sms/brand-sms"))
                .withQueryParam("key", equalTo(accounts.smsCallbackKey))
                .withRequestBody(matchingJsonPath("$[0].content", equalTo("TD")))
                .withRequestBody(matchingJsonPath("$[0].phone_number", equalTo(cast.liuYang.phone())))
                .withRequestBody(matchingJsonPath("$[0].sequence_id")));
    }

    @Test
    void theUnsubscribeUsesTheLatestMailsOneClickLinkAgainstTheHub() throws Exception {
        mail.unsubscribe(hubClient, cast.liuYang);
        assertThat(hub.getAllServeEvents()).as("no mail yet, nothing to follow").isEmpty();

        send(cast.liuYang.email(), "https://hub.example.com/hooks/email/brand-mail?token=first");
        send(cast.wangFang.email(), "https://hub.example.com/hooks/email/brand-mail?token=other");
        send(cast.liuYang.email(), "http://127.0.0.1:0/hooks/email/brand-mail?token=latest");
        mail.unsubscribe(hubClient, cast.liuYang);

        hub.verify(1, postRequestedFor(urlPathEqualTo("/hooks/email/brand-mail")));
        hub.verify(postRequestedFor(urlPathEqualTo("/hooks/email/brand-mail")).withQueryParam("token", equalTo("latest"))
                .withRequestBody(equalTo("List-Unsubscribe=One-Click")));
    }

    private void send(String to, String unsubscribe) throws Exception {
        Properties smtp = new Properties();
        smtp.put("mail.smtp.host", "127.0.0.1");
        smtp.put("mail.smtp.port", Integer.toString(mail.smtpPort()));
        MimeMessage message = new MimeMessage(Session.getInstance(smtp));
        message.setFrom(new InternetAddress(BrandAccounts.MAIL_FROM));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        message.setSubject("欢迎", StandardCharsets.UTF_8.name());
        message.setText("hello", StandardCharsets.UTF_8.name());
        message.setHeader("List-Unsubscribe", "<" + unsubscribe + ">");
        message.setHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        Transport.send(message);
    }
}
