package io.omnihub.hub.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.omnihub.hub.HubApplication;
import io.omnihub.hub.PluginJars;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The outbound plugins inside the hub, on real parts: the SMS and e-mail plugin JARs loaded by PF4J,
 * a rule defined over the API sending through both when a customer's event arrives over
 * {@code POST /api/v1/events}, WireMock as Aliyun's SMS endpoint, GreenMail as the SMTP server, and
 * the unsubscribe link of the mail followed and used against the hub itself.
 */
@SpringBootTest(classes = HubApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OutboundChannelsEndToEndTest {

    static final String PASSWORD = "outbound-admin";
    static final String PUBLIC_BASE_URL = "https://hub.shop.example";
    static final String SMTP_USER = "crm@shop.example";
    static final String SMTP_PASSWORD = "smtp-e2e-pa55word";
    static final String ACCESS_KEY_ID = "LTAI5tE2eOutbound000000";
    static final WireMockServer ALIYUN = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    static final GreenMail SMTP = new GreenMail(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser(SMTP_USER, SMTP_USER, SMTP_PASSWORD));
    static final Path DATA_DIR;
    static final Path PLUGINS_DIR;

    static {
        ALIYUN.start();
        AliyunSmsApi.stub(ALIYUN, "奥米商城");
        SMTP.start();
        try {
            DATA_DIR = Files.createTempDirectory("omnihub-outbound-e2e");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        PLUGINS_DIR = PluginJars.folderWith("sms", "email");
    }

    @DynamicPropertySource
    static void hub(DynamicPropertyRegistry registry) {
        registry.add("hub.data-dir", DATA_DIR::toString);
        registry.add("hub.plugins.dir", PLUGINS_DIR::toString);
        registry.add("hub.security.admin-password", () -> PASSWORD);
        registry.add("hub.automation.outbox-interval", () -> "200ms");
        registry.add("hub.automation.scan-interval", () -> "500ms");

        String sms = "hub.connectors.sms.aliyun.";
        registry.add(sms + "kind", () -> "aliyun");
        registry.add(sms + "access-key-id", () -> ACCESS_KEY_ID);
        registry.add(sms + "access-key-secret", () -> "aliyun-e2e-secret-0001");
        registry.add(sms + "sign-name", () -> "奥米商城");
        registry.add(sms + "api-base-url", ALIYUN::baseUrl);

        MailInstances.register(registry, "news", SMTP, SMTP_USER, SMTP_PASSWORD, PUBLIC_BASE_URL,
                "e2e-unsubscribe-secret-0123456789abcdef");
    }

    @LocalServerPort
    int port;

    AutomationApi api;

    @BeforeEach
    void clients() {
        api = new AutomationApi("http://localhost:" + port, "admin", PASSWORD);
        await().atMost(Duration.ofSeconds(60)).until(() -> api.listsInstances("aliyun", "news"));
    }

    @AfterAll
    static void stop() {
        ALIYUN.stop();
        SMTP.stop();
    }

    @Test
    void aRuleReachesTheCustomerBySignedSmsAndByMailWhoseOneClickLinkWithdrawsEmailMarketing() throws Exception {
        assertThat(api.putDefinition("rules", "spring-launch", """
                on: profile.updated
                then:
                  - send:
                      marketing: false
                      connector: email
                      instance: news
                      kind: email.send
                      recipient: email
                      payload:
                        subject: "${name}，春季新品到店"
                        text: "${name}，您好！新品已到店。"
                        html: "<p>${name}，您好！新品已到店。</p>"
                        params: { name: "{{ event.attributes.name }}" }
                  - send:
                      marketing: false
                      connector: sms
                      instance: aliyun
                      kind: sms.send
                      recipient: phone
                      payload:
                        template_code: SMS_71390007
                        params: { name: "{{ event.attributes.name }}" }
                """).statusCode()).isEqualTo(200);

        ObjectNode event = AutomationApi.event("web:profile:li-lei-1", "profile.updated", "/connectors/web/shop",
                Instant.parse("2026-03-02T02:00:00Z"));
        ArrayNode identities = (ArrayNode) event.path("data").path("identities");
        identities.addObject().put("type", "email").put("value", "li.lei@example.com");
        identities.addObject().put("type", "phone").put("value", "+8613912345678");
        AutomationApi.data(event).putObject("attributes").put("name", "李雷");
        assertThat(api.postEvents(event).statusCode()).isEqualTo(202);

        // Aliyun receives a SendSms whose signature verifies over exactly the parameters it carries.
        LoggedRequest sms = await().atMost(Duration.ofSeconds(60))
                .until(() -> AliyunSmsApi.sendSmsRequests(ALIYUN), l -> !l.isEmpty()).get(0);
        Map<String, String> form = AliyunSmsApi.form(sms.getBodyAsString());
        assertThat(form).containsEntry("Action", "SendSms").containsEntry("PhoneNumbers", "13912345678")
                .containsEntry("TemplateCode", "SMS_71390007").containsEntry("SignName", "奥米商城")
                .containsEntry("TemplateParam", "{\"name\":\"李雷\"}").containsEntry("AccessKeyId", ACCESS_KEY_ID);
        assertThat(form.get("OutId")).isNotBlank();
        assertThat(form.get("Signature")).isEqualTo(AliyunSmsApi.signature(form, "aliyun-e2e-secret-0001"));

        // The mail arrives with its one-click unsubscribe link, which the hub honours.
        MimeMessage mail = await().atMost(Duration.ofSeconds(60)).until(SMTP::getReceivedMessages, m -> m.length == 1)[0];
        assertThat(mail.getSubject()).isEqualTo("李雷，春季新品到店");
        assertThat(mail.getHeader("List-Unsubscribe-Post", null)).isEqualTo("List-Unsubscribe=One-Click");
        String link = mail.getHeader("List-Unsubscribe", null);
        assertThat(link).startsWith("<" + PUBLIC_BASE_URL + "/hooks/email/news?token=");
        String local = "http://localhost:" + port + link.substring(1 + PUBLIC_BASE_URL.length(), link.length() - 1);

        HttpResponse<String> page = http(HttpRequest.newBuilder(URI.create(local)).GET());
        HttpResponse<String> forged = http(HttpRequest.newBuilder(URI.create(local.substring(0, local.length() - 2) + "AA"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click")));
        HttpResponse<String> oneClick = http(HttpRequest.newBuilder(URI.create(local))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click")));

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.body()).contains("l***@example.com").contains("<form method=\"post\"");
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(oneClick.statusCode()).isEqualTo(200);
        HubApi hub = new HubApi("http://localhost:" + port, "admin", PASSWORD);
        JsonNode customer = await().atMost(Duration.ofSeconds(60)).until(
                () -> hub.customerByIdentity("email", "li.lei@example.com", null).orElse(null),
                c -> c != null && c.path("timeline").toString().contains(":unsubscribe:"));
        assertThat(customer.path("timeline")).filteredOn(e -> e.path("eventId").asText().contains(":unsubscribe:"))
                .singleElement().satisfies(e -> assertThat(e.path("type").asText()).isEqualTo("consent.changed"));
        assertThat(api.get("/api/v1/actions?status=sent").toString()).contains("email.send").contains("sms.send");
    }

    private static HttpResponse<String> http(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
