package io.omnihub.connectors.wechat;

import static io.omnihub.connectors.wechat.WeChatFixtures.APP_ID;
import static io.omnihub.connectors.wechat.WeChatFixtures.CORP_ID;
import static io.omnihub.connectors.wechat.WeChatFixtures.NOW;
import static io.omnihub.connectors.wechat.WeChatFixtures.config;
import static io.omnihub.connectors.wechat.WeChatFixtures.mpConfig;
import static io.omnihub.connectors.wechat.WeChatFixtures.resource;
import static io.omnihub.connectors.wechat.WeChatFixtures.wecomConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.EventTypes;
import io.omnihub.connector.event.Evidence;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.IdentityTypes;
import io.omnihub.connector.event.Message;
import io.omnihub.connector.source.RawRecord;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WeChatNormalizerTest {

    private static final Instant RECEIVED = NOW.plusMillis(250);

    private final WeChatNormalizer mp = new WeChatNormalizer("wechat", "brand-oa", config(mpConfig()));
    private final WeChatNormalizer wecom = new WeChatNormalizer("wechat", "brand-oa", config(wecomConfig()));
    private final List<CustomerEvent> produced = new ArrayList<>();

    @AfterEach
    void everyEventFollowsTheCanonicalSchema() {
        CanonicalEvents.assertValid(produced);
    }

    private CustomerEvent one(String file) {
        List<CustomerEvent> events = mp.normalize(mpRecord(file));
        produced.addAll(events);
        assertThat(events).hasSize(1);
        return events.get(0);
    }

    private CustomerEvent oneWecom(String file) {
        List<CustomerEvent> events = wecom.normalize(wecomRecord(file));
        produced.addAll(events);
        assertThat(events).hasSize(1);
        return events.get(0);
    }

    static RawRecord mpRecord(String file) {
        return new RawRecord("", "application/xml", resource(file), Map.of("kind", "mp", "appId", APP_ID), RECEIVED);
    }

    static RawRecord wecomRecord(String file) {
        return new RawRecord("", "application/xml", resource(file), Map.of("kind", "wecom", "appId", CORP_ID), RECEIVED);
    }

    @Test
    void textMessageIsReceivedWithItsText() {
        CustomerEvent event = one("text.xml");

        assertThat(event.id()).isEqualTo("wechat:" + APP_ID + ":1234567890123456");
        assertThat(event.type()).isEqualTo(EventTypes.MESSAGE_RECEIVED);
        assertThat(event.source()).isEqualTo("/connectors/wechat/brand-oa");
        assertThat(event.time()).isEqualTo(OffsetDateTime.parse("2012-09-28T19:31:00+08:00"));
        assertThat(event.time().getOffset().getId()).isEqualTo("+08:00");
        assertThat(event.data().receivedAt().toInstant()).isEqualTo(RECEIVED);
        assertThat(event.data().identities()).containsExactly(Identity.of(IdentityTypes.WECHAT_OPENID, "fromUser", APP_ID).withEvidence(Evidence.VERIFIED));
        assertThat(event.data().message()).isEqualTo(new Message("text", "this is a test"));
        assertThat(event.data().extra()).containsEntry("msgId", "1234567890123456");
    }

    @Test
    void chineseTextIsPreservedExactly() {
        CustomerEvent event = one("text-chinese.xml");

        assertThat(event.data().message().text()).isEqualTo("你好，我想查询会员积分 🎉 ");
        assertThat(CanonicalEvents.dataOf(event).path("message").path("text").asText()).isEqualTo("你好，我想查询会员积分 🎉 ");
    }

    @Test
    void otherMessageKindsAreReceivedWithTheirKind() {
        CustomerEvent event = one("image.xml");

        assertThat(event.type()).isEqualTo(EventTypes.MESSAGE_RECEIVED);
        assertThat(event.data().message()).isEqualTo(new Message("image", null));
        assertThat(event.data().extra()).containsEntry("picUrl", "this is a url").containsEntry("mediaId", "media_id");
    }

    @Test
    void subscribeIsAFollow() {
        CustomerEvent event = one("subscribe.xml");

        assertThat(event.id()).isEqualTo("wechat:" + APP_ID + ":FromUser:123456789:subscribe");
        assertThat(event.type()).isEqualTo(EventTypes.CUSTOMER_FOLLOWED);
        assertThat(event.data().identities()).containsExactly(Identity.of(IdentityTypes.WECHAT_OPENID, "FromUser", APP_ID).withEvidence(Evidence.VERIFIED));
        assertThat(event.data().extra()).isEmpty();
    }

    @Test
    void subscribeThroughAQrCodeKeepsSceneAndTicket() {
        CustomerEvent event = one("subscribe-qrscene.xml");

        assertThat(event.type()).isEqualTo(EventTypes.CUSTOMER_FOLLOWED);
        assertThat(event.data().extra())
                .containsEntry("eventKey", "qrscene_123123")
                .containsEntry("qrscene", "123123")
                .containsEntry("ticket", "TICKET");
    }

    @Test
    void unsubscribeIsAnUnfollow() {
        CustomerEvent event = one("unsubscribe.xml");

        assertThat(event.type()).isEqualTo(EventTypes.CUSTOMER_UNFOLLOWED);
        assertThat(event.id()).isEqualTo("wechat:" + APP_ID + ":FromUser:123456789:unsubscribe");
    }

    @Test
    void scanIsAnInteractionWithItsScene() {
        CustomerEvent event = one("scan.xml");

        assertThat(event.type()).isEqualTo(EventTypes.INTERACTION);
        assertThat(event.data().extra())
                .containsEntry("event", "SCAN")
                .containsEntry("eventKey", "SCENE_VALUE")
                .containsEntry("ticket", "TICKET");
    }

    @Test
    void menuClickIsAnInteractionWithItsKey() {
        CustomerEvent event = one("click.xml");

        assertThat(event.type()).isEqualTo(EventTypes.INTERACTION);
        assertThat(event.data().extra()).containsEntry("event", "CLICK").containsEntry("eventKey", "EVENTKEY");
    }

    @Test
    void locationIsAnInteractionWithCoordinates() {
        CustomerEvent event = one("location.xml");

        assertThat(event.type()).isEqualTo(EventTypes.INTERACTION);
        assertThat(event.data().extra())
                .containsEntry("event", "LOCATION")
                .containsEntry("latitude", new BigDecimal("23.137466"))
                .containsEntry("longitude", new BigDecimal("113.352425"))
                .containsEntry("precision", new BigDecimal("119.385040"));
        assertThat(CanonicalEvents.dataOf(event).path("extra").path("latitude").isNumber()).isTrue();
    }

    @Test
    void menuViewIsAPageView() {
        CustomerEvent event = one("view.xml");

        assertThat(event.type()).isEqualTo(EventTypes.PAGE_VIEWED);
        assertThat(event.data().extra()).containsEntry("url", "www.qq.com").containsEntry("menuId", "MENUID");
    }

    @Test
    void templateJobFinishedIsADeliveryReport() {
        CustomerEvent event = one("templatesendjobfinish.xml");

        assertThat(event.type()).isEqualTo(EventTypes.MESSAGE_DELIVERY);
        assertThat(event.id()).isEqualTo("wechat:" + APP_ID + ":oia2TjuEGTNoeX76QEjQNrcURxG8:1395658920:TEMPLATESENDJOBFINISH");
        assertThat(event.data().extra()).containsEntry("msgId", "200163836").containsEntry("status", "success");
    }

    @Test
    void unknownEventIsRecordedNotDropped() {
        CustomerEvent event = one("unknown-event.xml");

        assertThat(event.type()).isEqualTo(EventTypes.INTERACTION);
        assertThat(event.data().extra()).containsEntry("event", "user_get_card");
    }

    @Test
    void wecomAddedContactIsAFollowByTheExternalUser() {
        CustomerEvent event = oneWecom("wecom-add-external-contact.xml");

        assertThat(event.id()).isEqualTo("wecom:" + CORP_ID + ":woAJ2GCAAAXtWyujaWJHDDGi0mACH71w:1403610513:add_external_contact");
        assertThat(event.type()).isEqualTo(EventTypes.CUSTOMER_FOLLOWED);
        assertThat(event.data().identities()).containsExactly(
                Identity.of(IdentityTypes.WECOM_EXTERNAL_USERID, "woAJ2GCAAAXtWyujaWJHDDGi0mACH71w", CORP_ID).withEvidence(Evidence.VERIFIED));
        assertThat(event.data().extra())
                .containsEntry("changeType", "add_external_contact")
                .containsEntry("staffUserId", "zhangsan")
                .containsEntry("state", "teststate")
                .doesNotContainKey("welcomeCode");
        assertThat(event.time()).isEqualTo(OffsetDateTime.parse("2014-06-24T19:48:33+08:00"));
        assertThat(event.data().attributes()).as("whom a wecom.customer-message goes through")
                .containsEntry(WeChatNormalizer.WECOM_SALESPERSON, "zhangsan");
    }

    @Test
    void wecomEditedContactIsAProfileUpdate() {
        assertThat(oneWecom("wecom-edit-external-contact.xml").type()).isEqualTo(EventTypes.PROFILE_UPDATED);
    }

    @Test
    void wecomDeletedContactIsAnUnfollow() {
        CustomerEvent event = oneWecom("wecom-del-external-contact.xml");
        assertThat(event.type()).isEqualTo(EventTypes.CUSTOMER_UNFOLLOWED);
        assertThat(event.data().attributes()).as("a former salesperson is no one to send through")
                .doesNotContainKey(WeChatNormalizer.WECOM_SALESPERSON);
        assertThat(event.id()).endsWith(":1403610700:del_external_contact");
    }

    @Test
    void otherWecomContactChangesAreInteractions() {
        CustomerEvent event = oneWecom("wecom-del-follow-user.xml");
        assertThat(event.type()).isEqualTo(EventTypes.INTERACTION);
        assertThat(event.data().extra())
                .containsEntry("changeType", "del_follow_user")
                .containsEntry("event", "change_external_contact");
    }

    @Test
    void wecomTrafficAboutNoCustomerGivesNoEvent() {
        assertThat(wecom.normalize(wecomRecord("wecom-enter-agent.xml"))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"text.xml", "text-chinese.xml", "image.xml", "subscribe.xml", "subscribe-qrscene.xml",
            "unsubscribe.xml", "scan.xml", "click.xml", "location.xml", "view.xml", "templatesendjobfinish.xml",
            "unknown-event.xml"})
    void idsAreDeterministic(String file) {
        RawRecord first = mpRecord(file);
        RawRecord redelivered = new RawRecord("", "application/xml", resource(file), first.attributes(),
                RECEIVED.plus(Duration.ofMinutes(3)));

        List<CustomerEvent> once = mp.normalize(first);
        List<CustomerEvent> again = mp.normalize(first);
        List<CustomerEvent> later = mp.normalize(redelivered);
        produced.addAll(once);

        assertThat(again).isEqualTo(once);
        assertThat(later).extracting(CustomerEvent::id).isEqualTo(once.stream().map(CustomerEvent::id).toList());
    }

    @Test
    void wecomIdsAreDeterministic() {
        assertThat(wecom.normalize(wecomRecord("wecom-add-external-contact.xml")))
                .isEqualTo(wecom.normalize(wecomRecord("wecom-add-external-contact.xml")));
    }

    @Test
    void recordWithoutAttributesFallsBackToTheInstanceConfig() {
        RawRecord bare = new RawRecord("", "application/xml", resource("text.xml"), Map.of(), RECEIVED);
        assertThat(mp.normalize(bare).get(0).id()).isEqualTo("wechat:" + APP_ID + ":1234567890123456");
    }

    @Test
    void messageWithoutCreateTimeIsBadInput() {
        byte[] xml = "<xml><FromUserName><![CDATA[u]]></FromUserName><MsgType><![CDATA[text]]></MsgType></xml>"
                .getBytes(StandardCharsets.UTF_8);
        RawRecord record = new RawRecord("", "application/xml", xml, Map.of("kind", "mp", "appId", APP_ID), RECEIVED);
        assertThatThrownBy(() -> mp.normalize(record))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("CreateTime");
    }

    @Test
    void nonNumericCreateTimeIsBadInput() {
        String xml = new String(resource("text.xml"), StandardCharsets.UTF_8).replace("1348831860", "yesterday");
        RawRecord record = new RawRecord("", "application/xml", xml.getBytes(StandardCharsets.UTF_8),
                Map.of("kind", "mp", "appId", APP_ID), RECEIVED);
        assertThatThrownBy(() -> mp.normalize(record)).isInstanceOf(BadInputException.class);
    }

    @Test
    void recordOfUnknownKindIsBadInput() {
        RawRecord record = new RawRecord("", "application/xml", resource("text.xml"), Map.of("kind", "qq", "appId", APP_ID), RECEIVED);
        assertThatThrownBy(() -> mp.normalize(record)).isInstanceOf(BadInputException.class);
    }

    @Test
    void doctypeInAStoredRecordIsRefused() {
        assertThatThrownBy(() -> mp.normalize(mpRecord("xxe.xml")))
                .isInstanceOf(BadInputException.class)
                .hasMessage("XML with a DTD is refused");
    }
}
