package io.omnihub.connectors.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.action.ActionResult;
import io.omnihub.connector.action.OutboundAction;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.errors.BadSignatureException;
import io.omnihub.connector.errors.ConfigException;
import io.omnihub.connector.errors.TransientException;
import io.omnihub.connector.event.Channels;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.EventTypes;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.IdentityTypes;
import io.omnihub.connector.webhook.WebhookResult;
import io.omnihub.testkit.TestConnectorContext;
import io.omnihub.testkit.WebhookRequests;
import io.omnihub.testsupport.FreePort;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** E-mail actions against a real SMTP server (GreenMail), and their unsubscribe links. */
class EmailActionSenderTest {

    @RegisterExtension
    static GreenMailExtension smtp = EmailFixtures.greenMail();

    private static final Identity LI_LEI = Identity.of(IdentityTypes.EMAIL, "li.lei@example.com");
    private static final Instant NOW = Instant.parse("2025-05-20T02:00:00Z");

    @BeforeEach
    void emptyMailbox() throws Exception {
        smtp.purgeEmailFromAllMailboxes();
    }

    private static ConnectorInstance open(Map<String, String> config) {
        TestConnectorContext ctx = TestConnectorContext.of("email", "news", config);
        ctx.mutableClock().set(NOW);
        return new EmailConnector().open(ctx);
    }

    private static ActionResult send(ConnectorInstance instance, String actionId, Map<String, Object> payload) {
        return instance.actions().orElseThrow().send(new OutboundAction(actionId, EmailActionSender.SEND, LI_LEI, payload));
    }

    private static Map<String, Object> inline() {
        return Map.of("subject", "${name}，春季新品到店", "text", "${name}，您好！新品已到店。",
                "html", "<p>${name}，您好！<a href=\"https://shop.example/new\">新品</a>已到店。</p>",
                "params", Map.of("name", "李雷 <VIP>"));
    }

    @Test
    void aMailArrivesWithBothPartsAMessageIdFromTheActionAndAOneClickUnsubscribeHeader() throws Exception {
        ActionResult result = send(open(EmailFixtures.config(smtp)), "enr-42:step-3", inline());

        MimeMessage mail = smtp.getReceivedMessages()[0];
        String messageId = "<" + EmailActionSender.messageRef("enr-42:step-3") + "@shop.omnihub.test>";
        assertThat(result.channelReference()).isEqualTo(messageId);
        assertThat(mail.getMessageID()).isEqualTo(messageId);
        assertThat(mail.getSubject()).isEqualTo("李雷 <VIP>，春季新品到店");
        assertThat(mail.getFrom()[0].toString()).contains(EmailFixtures.FROM);
        assertThat(mail.getHeader("List-Unsubscribe-Post", null)).isEqualTo("List-Unsubscribe=One-Click");
        assertThat(mail.getHeader("List-Unsubscribe", null))
                .startsWith("<" + EmailFixtures.PUBLIC_BASE_URL + "/hooks/email/news?token=").endsWith(">")
                .doesNotContain("li.lei");
        Multipart parts = (Multipart) mail.getContent();
        assertThat(parts.getContentType()).startsWith("multipart/alternative");
        String text = (String) parts.getBodyPart(0).getContent();
        String html = (String) parts.getBodyPart(1).getContent();
        assertThat(text).startsWith("李雷 <VIP>，您好！").contains("Unsubscribe: " + EmailFixtures.PUBLIC_BASE_URL + "/hooks/email/news?token=");
        assertThat(html).contains("李雷 &lt;VIP&gt;，您好！").contains("<a href=\"" + EmailFixtures.PUBLIC_BASE_URL + "/hooks/email/news?token=");
    }

    @Test
    void mailIsSentWhateverContextClassLoaderTheHubCallsWith() throws Exception {
        // In the hub the plugin's classes come from PF4J's plugin class loader while the calling
        // thread's context class loader is the hub's, which has no Jakarta Mail: provider lookups
        // must not depend on it.
        Thread thread = Thread.currentThread();
        ClassLoader hub = thread.getContextClassLoader();
        thread.setContextClassLoader(ClassLoader.getPlatformClassLoader());
        try {
            ConnectorInstance instance = open(EmailFixtures.config(smtp));
            send(instance, "enr-44:step-1", inline());
            assertThat(instance.check().ok()).isTrue();
        } finally {
            thread.setContextClassLoader(hub);
        }

        assertThat(smtp.getReceivedMessages()).hasSize(1);
    }

    @Test
    void aRepeatedActionCarriesTheSameMessageIdSoMailboxesKeepOne() throws Exception {
        ConnectorInstance instance = open(EmailFixtures.config(smtp));

        send(instance, "enr-42:step-3", inline());
        send(instance, "enr-42:step-3", inline());
        send(instance, "enr-43:step-3", inline());

        MimeMessage[] mails = smtp.getReceivedMessages();
        assertThat(mails).hasSize(3);
        assertThat(mails[0].getMessageID()).isEqualTo(mails[1].getMessageID()).isNotEqualTo(mails[2].getMessageID());
    }

    @Test
    void theUnsubscribeLinkInTheMailWithdrawsEmailMarketingConsentOfThatRecipient() throws Exception {
        ConnectorInstance instance = open(EmailFixtures.config(smtp));
        send(instance, "enr-42:step-3", inline());
        String header = smtp.getReceivedMessages()[0].getHeader("List-Unsubscribe", null);
        URI link = URI.create(header.substring(1, header.length() - 1));
        String token = URLDecoder.decode(link.getRawQuery().substring("token=".length()), StandardCharsets.UTF_8);

        WebhookResult page = instance.webhook().orElseThrow().handle(WebhookRequests.get().query("token", token).receivedAt(NOW).build());
        WebhookResult done = instance.webhook().orElseThrow().handle(WebhookRequests.post(UnsubscribeHandler.ONE_CLICK)
                .query("token", token).receivedAt(NOW).build());
        CustomerEvent event = instance.normalizer().normalize(done.records().get(0)).get(0);

        assertThat(page.records()).as("following the link changes nothing yet").isEmpty();
        assertThat(page.reply().contentType()).startsWith("text/html");
        assertThat(page.reply().bodyAsUtf8()).contains("l***@example.com").contains("<form method=\"post\"")
                .contains("name=\"List-Unsubscribe\" value=\"One-Click\"").doesNotContain("li.lei@");
        assertThat(done.reply().status()).isEqualTo(200);
        assertThat(event.type()).isEqualTo(EventTypes.CONSENT_CHANGED);
        assertThat(event.data().identities()).containsExactly(LI_LEI);
        assertThat(event.data().consent().marketingChannels()).containsExactly(Map.entry(Channels.EMAIL, false));
        assertThat(event.data().extra()).containsEntry("messageId", smtp.getReceivedMessages()[0].getMessageID());
    }

    @Test
    void anotherInstancesOrAnAlteredTokenUnsubscribesNobody() {
        ConnectorInstance instance = open(EmailFixtures.config(smtp));
        String foreign = new UnsubscribeToken("another-instance-secret-0000000000000").issue("li.lei@example.com", "omnihub.1");

        assertThatThrownBy(() -> instance.webhook().orElseThrow().handle(WebhookRequests.post(UnsubscribeHandler.ONE_CLICK)
                .query("token", foreign).receivedAt(NOW).build())).isInstanceOf(BadSignatureException.class);
        assertThatThrownBy(() -> instance.webhook().orElseThrow().handle(WebhookRequests.post(UnsubscribeHandler.ONE_CLICK)
                .receivedAt(NOW).build())).isInstanceOf(BadSignatureException.class);
    }

    @Test
    void namedTemplatesComeFromTheTemplateFolderAndPlaceTheLinkWhereTheySay() throws Exception {
        Map<String, String> config = EmailFixtures.config(smtp);
        config.put("template-dir", Path.of(getClass().getResource("/email/templates").toURI()).toString());

        send(open(config), "enr-50:step-1", Map.of("template", "coupon-reminder",
                "params", Map.of("name", "韩梅梅", "coupon", "CPN-8817", "days", 3)));

        MimeMessage mail = smtp.getReceivedMessages()[0];
        Multipart parts = (Multipart) mail.getContent();
        String text = (String) parts.getBodyPart(0).getContent();
        assertThat(mail.getSubject()).isEqualTo("韩梅梅，您的优惠券 3 天后到期");
        assertThat(text).contains("不想再收到此类邮件：" + EmailFixtures.PUBLIC_BASE_URL).doesNotContain("Unsubscribe:");
        assertThat((String) parts.getBodyPart(1).getContent()).contains("<b>CPN-8817</b>").contains("退订 / Unsubscribe</a></p></body>");
    }

    @Test
    void aPlaceholderWithoutValueOrAMissingBodyIsRefusedAndNothingIsSent() {
        ConnectorInstance instance = open(EmailFixtures.config(smtp));

        assertThatThrownBy(() -> send(instance, "a:1", Map.of("subject", "Hi ${name}", "text", "x")))
                .isInstanceOf(BadInputException.class).hasMessageContaining("[name]");
        assertThatThrownBy(() -> send(instance, "a:2", Map.of("subject", "Hi"))).isInstanceOf(BadInputException.class);
        assertThatThrownBy(() -> send(instance, "a:3", Map.of("template", "../etc/passwd"))).isInstanceOf(BadInputException.class);
        assertThatThrownBy(() -> instance.actions().orElseThrow().send(new OutboundAction("a:4", EmailActionSender.SEND,
                Identity.of(IdentityTypes.EMAIL, "not an address"), inline()))).isInstanceOf(BadInputException.class);
        assertThat(smtp.getReceivedMessages()).isEmpty();
    }

    @Test
    void aRefusedLoginIsAConfigErrorAndAnUnreachableServerIsTransient() throws Exception {
        Map<String, String> wrongPassword = EmailFixtures.config(smtp);
        wrongPassword.put("password", "Wrong-Pa55w0rd-000000");
        Map<String, String> nobodyListening = EmailFixtures.config(smtp);
        nobodyListening.put("smtp-port", Integer.toString(FreePort.pick()));

        assertThatThrownBy(() -> send(open(wrongPassword), "a:1", inline())).isInstanceOf(ConfigException.class)
                .hasMessageNotContaining("Wrong-Pa55w0rd");
        assertThatThrownBy(() -> send(open(nobodyListening), "a:1", inline())).isInstanceOf(TransientException.class);
        assertThat(open(wrongPassword).check().ok()).isFalse();
        assertThat(open(EmailFixtures.config(smtp)).check().ok()).isTrue();
    }
}
