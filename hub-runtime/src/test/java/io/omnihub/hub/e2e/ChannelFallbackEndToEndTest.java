package io.omnihub.hub.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
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
import io.omnihub.testsupport.TestClock;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A journey that prefers WeChat, then SMS, then e-mail, on real parts: the WeChat, SMS and e-mail
 * plugin JARs loaded by PF4J, embedded Artemis and PostgreSQL, WireMock as the WeChat API and as
 * Aliyun's SMS endpoint, GreenMail as the SMTP server, the SMS plugin's callback URL for a customer's
 * {@code TD} reply, and the e-mail's unsubscribe link followed over HTTP. The hub's clock stands at
 * 10:00 in Shanghai, outside quiet hours.
 */
@SpringBootTest(classes = HubApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(ChannelFallbackEndToEndTest.MorningInShanghai.class)
class ChannelFallbackEndToEndTest {

    static final String PASSWORD = "fallback-admin";
    static final String SHOP = "/connectors/shop/web";
    static final String FOLLOWER_OPENID = "oSpringFollower_0123456789a";
    static final String APP_ID = "wx5f1c2e3d4b6a7980";
    static final String TOKEN = "fallbacktoken";
    static final String AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    static final String ACCESS_KEY_ID = "LTAI5tFallback00000000";
    static final String ACCESS_KEY_SECRET = "aliyun-fallback-secret-01";
    static final String CALLBACK_KEY = "cbk_fallback_7e3a9d1c5b2f";
    static final String PUBLIC_BASE_URL = "https://hub.shop.example";
    static final String SMTP_USER = "crm@shop.example";
    static final String SMTP_PASSWORD = "smtp-fallback-pa55word";
    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    static final TestClock CLOCK = TestClock.at(Instant.parse("2026-03-02T02:00:00Z"));

    static final WireMockServer CHANNELS = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    static final GreenMail SMTP = new GreenMail(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser(SMTP_USER, SMTP_USER, SMTP_PASSWORD));
    static final Path DATA_DIR;
    static final Path PLUGINS_DIR;

    /** The spring launch: WeChat first, SMS for who has no openid, e-mail for who has neither. */
    static final String SPRING_LAUNCH = """
            description: Spring launch on the customer's preferred channel
            trigger:
              event: profile.updated
              when: "event.attributes[?'launch'].orValue('') == 'spring'"
            steps:
              - id: announce
                send:
                  prefer:
                    - connector: wechat
                      instance: brand-oa
                      kind: wechat.template
                      recipient: wechat_openid
                      payload:
                        template_id: spring-launch-template
                        data: { first: "{{ customer.attributes.name }}，春季新品到店" }
                    - connector: sms
                      instance: aliyun
                      kind: sms.send
                      recipient: phone
                      payload:
                        template_code: SMS_71390007
                        sign_name: 奥米商城
                        params: { name: "{{ customer.attributes.name }}" }
                    - connector: email
                      instance: news
                      kind: email.send
                      recipient: email
                      payload:
                        subject: "${name}，春季新品到店"
                        text: "${name}，您好！新品已到店。"
                        params: { name: "{{ customer.attributes.name }}" }
            """;

    static {
        CHANNELS.start();
        AutomationEndToEndTest.stubWeChat(CHANNELS, APP_ID);
        AliyunSmsApi.stub(CHANNELS, "奥米商城");
        SMTP.start();
        try {
            DATA_DIR = Files.createTempDirectory("omnihub-fallback-e2e");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        PLUGINS_DIR = PluginJars.folderWith("wechat", "sms", "email");
    }

    @DynamicPropertySource
    static void hub(DynamicPropertyRegistry registry) {
        registry.add("hub.data-dir", DATA_DIR::toString);
        registry.add("hub.plugins.dir", PLUGINS_DIR::toString);
        registry.add("hub.security.admin-password", () -> PASSWORD);
        registry.add("hub.automation.outbox-interval", () -> "200ms");
        registry.add("hub.automation.scan-interval", () -> "500ms");

        WeChatInstances.register(registry, "brand-oa", "mp", APP_ID, "fallback-app-secret", TOKEN, AES_KEY, CHANNELS.baseUrl());

        String sms = "hub.connectors.sms.aliyun.";
        registry.add(sms + "kind", () -> "aliyun");
        registry.add(sms + "access-key-id", () -> ACCESS_KEY_ID);
        registry.add(sms + "access-key-secret", () -> ACCESS_KEY_SECRET);
        registry.add(sms + "callback-key", () -> CALLBACK_KEY);
        registry.add(sms + "api-base-url", CHANNELS::baseUrl);

        MailInstances.register(registry, "news", SMTP, SMTP_USER, SMTP_PASSWORD, PUBLIC_BASE_URL, "fallback-unsubscribe-secret-0123456789ab");
    }

    /** The hub's clock for this test only: 10:00 in Shanghai, so that quiet hours hold nothing back. */
    static class MorningInShanghai {
        @Bean
        @Primary
        Clock testClock() {
            return CLOCK;
        }
    }

    @LocalServerPort
    int port;

    AutomationApi api;

    @BeforeEach
    void clients() {
        api = new AutomationApi("http://localhost:" + port, "admin", PASSWORD);
        await().atMost(Duration.ofSeconds(90)).until(() -> api.listsInstances("brand-oa", "aliyun", "news"));
    }

    @AfterAll
    static void stop() {
        CHANNELS.stop();
        SMTP.stop();
    }

    @Test
    void theJourneyReachesEachCustomerOnTheFirstChannelTheyCanBeReachedOnAndHonoursTdAndTheUnsubscribeLink() throws Exception {
        assertThat(api.putDefinition("journeys", "spring-launch", SPRING_LAUNCH).statusCode()).isEqualTo(200);

        Id followerOpenid = new Id("wechat_openid", FOLLOWER_OPENID, APP_ID);
        Id textOnlyPhone = new Id("phone", "+8613912340001", null);
        Id repliedTdPhone = new Id("phone", "+8613912340002", null);
        Id mailOnlyAddress = new Id("email", "wang.fang@example.com", null);
        String follower = customer("follower", "小明", followerOpenid, new Id("phone", "+8613912340000", null));
        String textOnly = customer("text-only", "李雷", textOnlyPhone);
        String repliedTd = customer("replied-td", "韩梅梅", repliedTdPhone);
        String mailOnly = customer("mail-only", "王芳", mailOnlyAddress);

        // the TD reply arrives as Aliyun pushes it (SmsUp) to the SMS plugin's callback URL
        String sent = CLOCK.instant().atZone(SHANGHAI).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
        HttpResponse<String> reply = http(HttpRequest.newBuilder(URI.create(local("/hooks/sms/aliyun?key=" + CALLBACK_KEY)))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "[{\"phone_number\":\"13912340002\",\"content\":\"TD\",\"send_time\":\"" + sent + "\","
                                + "\"dest_code\":\"1234\",\"sequence_id\":\"7300112\"}]", StandardCharsets.UTF_8)));
        assertThat(reply.statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).until(() -> api.get("/api/v1/customers/" + repliedTd).path("timeline").toString()
                .contains("sms:aliyun:up:7300112"));

        for (Id customer : List.of(followerOpenid, textOnlyPhone, repliedTdPhone, mailOnlyAddress)) {
            launch(customer);
        }

        // the follower on WeChat, the one without an openid by SMS, the one with an e-mail address only by mail
        JsonNode wechat = await().atMost(Duration.ofSeconds(60)).until(() -> templates(FOLLOWER_OPENID), l -> !l.isEmpty())
                .get(0);
        assertThat(wechat.path("template_id").asText()).isEqualTo("spring-launch-template");
        assertThat(wechat.path("data").path("first").path("value").asText()).isEqualTo("小明，春季新品到店");

        LoggedRequest sms = await().atMost(Duration.ofSeconds(60))
                .until(() -> AliyunSmsApi.sendSmsRequests(CHANNELS), l -> !l.isEmpty()).get(0);
        Map<String, String> form = AliyunSmsApi.form(sms.getBodyAsString());
        assertThat(form).containsEntry("Action", "SendSms").containsEntry("PhoneNumbers", "13912340001")
                .containsEntry("SignName", "奥米商城").containsEntry("TemplateCode", "SMS_71390007")
                .containsEntry("TemplateParam", "{\"name\":\"李雷\"}").containsEntry("AccessKeyId", ACCESS_KEY_ID);
        assertThat(form.get("Signature")).isEqualTo(AliyunSmsApi.signature(form, ACCESS_KEY_SECRET));

        MimeMessage mail = await().atMost(Duration.ofSeconds(60)).until(SMTP::getReceivedMessages, m -> m.length == 1)[0];
        assertThat(mail.getSubject()).isEqualTo("王芳，春季新品到店");
        assertThat(mail.getAllRecipients()).extracting(Object::toString).containsExactly("wang.fang@example.com");

        // every customer's action is settled, and the API shows each one: sent per channel, the TD customer suppressed
        assertSent(settled(follower), "wechat", "wechat.template");
        assertSent(settled(textOnly), "sms", "sms.send");
        assertSent(settled(mailOnly), "email", "email.send");
        JsonNode suppressed = settled(repliedTd);
        assertThat(suppressed.path("status").asText()).isEqualTo("suppressed");
        assertThat(suppressed.path("origin").asText()).isEqualTo("journey:spring-launch");
        assertThat(suppressed.path("reason").asText())
                .isEqualTo("consent: wechat: no wechat_openid; sms: the customer declined marketing on sms; email: no email");
        assertThat(AliyunSmsApi.sendSmsRequests(CHANNELS)).as("one text message: the TD customer got none, the follower got WeChat")
                .hasSize(1);

        // the mail's unsubscribe link, followed as a person does: the page, then its button
        String link = mail.getHeader("List-Unsubscribe", null);
        assertThat(link).startsWith("<" + PUBLIC_BASE_URL + "/hooks/email/news?token=");
        String unsubscribe = local(link.substring(1 + PUBLIC_BASE_URL.length(), link.length() - 1));
        HttpResponse<String> page = http(HttpRequest.newBuilder(URI.create(unsubscribe)).GET());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<form method=\"post\"").contains("name=\"List-Unsubscribe\" value=\"One-Click\"");
        HttpResponse<String> button = http(HttpRequest.newBuilder(URI.create(unsubscribe))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click")));
        assertThat(button.statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).until(() -> api.get("/api/v1/customers/" + mailOnly).path("timeline").toString()
                .contains(":unsubscribe:"));

        // a later marketing e-mail to her is suppressed, and says why
        CLOCK.advance(Duration.ofMinutes(30));
        launch(mailOnlyAddress);
        JsonNode later = await().atMost(Duration.ofSeconds(60)).until(
                () -> api.get("/api/v1/actions?customer=" + mailOnly + "&status=suppressed"), a -> a.size() == 1).get(0);
        assertThat(later.path("reason").asText())
                .isEqualTo("consent: wechat: no wechat_openid; sms: no phone; email: the customer declined marketing on email");
        assertThat(SMTP.getReceivedMessages()).hasSize(1);
    }

    /**
     * Creates a customer who consents to marketing, named {@code name}, known by {@code ids}; returns
     * the customer id once the hub has applied the event.
     */
    private String customer(String key, String name, Id... ids) {
        ObjectNode event = AutomationApi.event("shop:consent:" + key, "consent.changed", SHOP, CLOCK.instant());
        for (Id id : ids) {
            id.addTo(event);
        }
        AutomationApi.data(event).putObject("consent").put("marketing", true);
        AutomationApi.data(event).putObject("attributes").put("name", name);
        assertThat(api.postEvents(event).statusCode()).isEqualTo(202);
        HubApi hub = new HubApi("http://localhost:" + port, "admin", PASSWORD);
        return await().atMost(Duration.ofSeconds(60))
                .until(() -> hub.customerByIdentity(ids[0].type(), ids[0].value(), ids[0].namespace()), c -> c.isPresent())
                .orElseThrow().path("id").asText();
    }

    private int launches;

    /** The shop says the profile of whoever holds {@code id} now carries the spring launch: the journey's trigger. */
    private void launch(Id id) {
        ObjectNode event = AutomationApi.event("shop:launch:" + (++launches), "profile.updated", SHOP, CLOCK.instant());
        id.addTo(event);
        AutomationApi.data(event).putObject("attributes").put("launch", "spring");
        assertThat(api.postEvents(event).statusCode()).isEqualTo(202);
    }

    /** An identity as events carry it. */
    private record Id(String type, String value, String namespace) {
        void addTo(ObjectNode event) {
            ObjectNode node = ((ArrayNode) event.path("data").path("identities")).addObject().put("type", type).put("value", value);
            if (namespace != null) {
                node.put("namespace", namespace);
            }
        }
    }

    private List<JsonNode> templates(String openid) {
        return CHANNELS.findAll(postRequestedFor(urlPathEqualTo("/cgi-bin/message/template/send"))).stream()
                .map(r -> AutomationApi.parse(r.getBodyAsString()))
                .filter(b -> b.path("touser").asText().equals(openid)).toList();
    }

    /** The customer's one action of the journey, once it is sent or suppressed. */
    private JsonNode settled(String customer) {
        return await().atMost(Duration.ofSeconds(60))
                .until(() -> api.get("/api/v1/actions?customer=" + customer + "&origin=journey:spring-launch"),
                        a -> a.size() == 1 && List.of("sent", "suppressed").contains(a.get(0).path("status").asText()))
                .get(0);
    }

    private static void assertSent(JsonNode action, String connector, String kind) {
        assertThat(action.path("status").asText()).isEqualTo("sent");
        assertThat(action.path("connector").asText()).isEqualTo(connector);
        assertThat(action.path("kind").asText()).isEqualTo(kind);
    }

    private String local(String pathAndQuery) {
        return "http://localhost:" + port + pathAndQuery;
    }

    private static HttpResponse<String> http(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
