package io.omnihub.connectors.wechat;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.omnihub.connectors.wechat.WeChatFixtures.CORP_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.omnihub.connector.action.ActionResult;
import io.omnihub.connector.action.OutboundAction;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.IdentityTypes;
import io.omnihub.testkit.TestConnectorContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code wecom.customer-message} against WeCom's add_msg_template as WireMock plays it. */
class WeComActionSenderTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String EXTERNAL_USERID = "woAJ2GCAAAXtWyujaWJHDDGi0mACH71w";
    private static final Identity CONTACT = Identity.of(IdentityTypes.WECOM_EXTERNAL_USERID, EXTERNAL_USERID, CORP_ID);
    private static final String ACCESS_TOKEN = "wecom-access-token-0001";

    private WeComActionSender sender;

    @BeforeEach
    void setUp() {
        TestConnectorContext ctx = WeChatFixtures.context(WeChatApiStubs.wecomApiConfig(wm));
        WeChatConfig config = WeChatConfig.from(ctx.config());
        sender = new WeComActionSender(ctx, config, new WeChatApiClient(ctx, config));
        wm.stubFor(get(urlPathEqualTo("/cgi-bin/gettoken")).withQueryParam("corpid", equalTo(CORP_ID))
                .willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"access_token\":\"" + ACCESS_TOKEN + "\",\"expires_in\":7200}")));
    }

    private ActionResult send(String actionId, Map<String, Object> payload) {
        return sender.send(new OutboundAction(actionId, WeComActionSender.CUSTOMER_MESSAGE, CONTACT, payload));
    }

    @Test
    void aSingleChatTaskIsCreatedForTheContactWithTheSalespersonAsSender() {
        wm.stubFor(post(urlPathEqualTo("/cgi-bin/externalcontact/add_msg_template")).withQueryParam("access_token", equalTo(ACCESS_TOKEN))
                .withRequestBody(equalToJson("{\"chat_type\":\"single\",\"external_userid\":[\"" + EXTERNAL_USERID + "\"],"
                        + "\"sender\":\"zhangsan\",\"text\":{\"content\":\"李先生您好，跑鞋已到店。\"},"
                        + "\"attachments\":[{\"msgtype\":\"link\",\"link\":{\"title\":\"新品\",\"url\":\"https://shop.example/new\"}}]}"))
                .willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"fail_list\":[],\"msgid\":\"msgGCAAAXtWyujaWJHDDGi0mAAAA\"}")));

        ActionResult result = send("enr-42:step-4", Map.of("sender", "zhangsan", "text", "李先生您好，跑鞋已到店。",
                "attachments", List.of(Map.of("msgtype", "link", "link", Map.of("title", "新品", "url", "https://shop.example/new")))));

        assertThat(result.channelReference()).isEqualTo("msgGCAAAXtWyujaWJHDDGi0mAAAA");
    }

    @Test
    void aRepeatedActionIsAnsweredFromTheMemoNotWithASecondTask() {
        wm.stubFor(post(urlPathEqualTo("/cgi-bin/externalcontact/add_msg_template"))
                .willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"fail_list\":[],\"msgid\":\"msgGCAAAXtWyujaWJHDDGi0mAAAA\"}")));

        send("enr-42:step-4", Map.of("sender", "zhangsan", "text", "您好"));
        ActionResult again = send("enr-42:step-4", Map.of("sender", "zhangsan", "text", "您好"));
        send("enr-43:step-4", Map.of("sender", "zhangsan", "text", "您好"));

        assertThat(again.channelReference()).isEqualTo("msgGCAAAXtWyujaWJHDDGi0mAAAA");
        wm.verify(2, postRequestedFor(urlPathEqualTo("/cgi-bin/externalcontact/add_msg_template")));
    }

    @Test
    void aContactWeComCannotQueueTheMessageForIsRefused() {
        wm.stubFor(post(urlPathEqualTo("/cgi-bin/externalcontact/add_msg_template"))
                .willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"fail_list\":[\"" + EXTERNAL_USERID + "\"],\"msgid\":\"msgX\"}")));

        assertThatThrownBy(() -> send("enr-42:step-4", Map.of("sender", "lisi", "text", "您好")))
                .isInstanceOf(BadInputException.class).hasMessageContaining("not a customer of sender");
    }

    @Test
    void withoutSenderOrContentOrForAnotherCorpsContactNothingIsSent() {
        assertThatThrownBy(() -> send("a:1", Map.of("text", "您好"))).isInstanceOf(BadInputException.class).hasMessageContaining("sender");
        assertThatThrownBy(() -> send("a:2", Map.of("sender", "zhangsan"))).isInstanceOf(BadInputException.class);
        assertThatThrownBy(() -> sender.send(new OutboundAction("a:3", WeComActionSender.CUSTOMER_MESSAGE,
                Identity.of(IdentityTypes.WECOM_EXTERNAL_USERID, EXTERNAL_USERID, "wwOtherCorp0000000"), Map.of("sender", "z", "text", "x"))))
                .isInstanceOf(BadInputException.class).hasMessageContaining("corp");
        assertThat(wm.findAll(postRequestedFor(urlPathEqualTo("/cgi-bin/externalcontact/add_msg_template")))).isEmpty();
    }
}
