package io.omnihub.connectors.wechat;

import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.EventTypes;
import io.omnihub.connector.event.Evidence;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.IdentityTypes;
import io.omnihub.connector.event.Message;
import io.omnihub.connector.event.Normalizer;
import io.omnihub.connector.source.RawRecord;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns WeChat XML records into canonical events.
 *
 * <p>Ids come only from the message: {@code wechat:<appid>:<MsgId>} for messages,
 * {@code wechat:<appid>:<FromUserName>:<CreateTime>:<Event>} for events (WeChat's own dedupe key),
 * {@code wecom:<corpid>:<ExternalUserID>:<CreateTime>:<ChangeType>} for WeCom contact changes, so a
 * redelivered push yields the same id. Events nobody mapped yet become
 * {@code interaction.recorded} with the event name, never dropped.
 */
public final class WeChatNormalizer implements Normalizer {

    /** Channel fields of non-text messages worth keeping, by element name. */
    private static final Map<String, String> MESSAGE_EXTRAS = orderedMap(
            "MediaId", "mediaId", "PicUrl", "picUrl", "Format", "format", "Recognition", "recognition",
            "ThumbMediaId", "thumbMediaId", "Location_X", "latitude", "Location_Y", "longitude", "Scale", "scale",
            "Label", "label", "Title", "title", "Description", "description", "Url", "url");

    /**
     * Profile attribute of WeCom contacts: the userid of the salesperson (the member whose external
     * contact the customer is), the {@code sender} of a {@code wecom.customer-message}.
     */
    public static final String WECOM_SALESPERSON = "wecomSalesperson";

    static final String ADD_EXTERNAL_CONTACT = "add_external_contact";
    static final String EDIT_EXTERNAL_CONTACT = "edit_external_contact";
    static final String DEL_EXTERNAL_CONTACT = "del_external_contact";

    private final String connectorId;
    private final String instanceId;
    private final WeChatConfig config;

    public WeChatNormalizer(String connectorId, String instanceId, WeChatConfig config) {
        this.connectorId = connectorId;
        this.instanceId = instanceId;
        this.config = config;
    }

    @Override
    public List<CustomerEvent> normalize(RawRecord record) {
        WeChatXml xml = SafeXml.parse(record.payload());
        // The record says which account it came from; the config is only the fallback for records
        // written without attributes.
        String appId = record.attributes().getOrDefault("appId", config.appId());
        String kind = record.attributes().getOrDefault("kind", config.kind().id());
        if (WeChatConfig.Kind.WECOM.id().equals(kind)) {
            return wecom(xml, appId, record);
        }
        if (WeChatConfig.Kind.MP.id().equals(kind)) {
            return List.of(officialAccount(xml, appId, record));
        }
        throw new BadInputException("record has an unknown kind '" + kind + "'");
    }

    private CustomerEvent officialAccount(WeChatXml xml, String appId, RawRecord record) {
        String openid = xml.require("FromUserName");
        long createTime = xml.createTime();
        String msgType = xml.require("MsgType");
        Identity who = Identity.of(IdentityTypes.WECHAT_OPENID, openid, appId).withEvidence(Evidence.VERIFIED);

        if (!"event".equalsIgnoreCase(msgType)) {
            String id = xml.token("MsgId")
                    .map(msgId -> "wechat:" + appId + ":" + msgId)
                    .orElse("wechat:" + appId + ":" + openid + ":" + createTime + ":" + msgType);
            boolean text = "text".equalsIgnoreCase(msgType);
            CustomerEvent.Builder event = start(id, EventTypes.MESSAGE_RECEIVED, createTime, record, who)
                    .message(new Message(msgType, text ? xml.get("Content").orElse("") : null))
                    .extra("msgId", xml.token("MsgId").orElse(null));
            MESSAGE_EXTRAS.forEach((element, name) -> event.extra(name, xml.get(element).orElse(null)));
            return event.build();
        }

        String eventName = xml.require("Event");
        String id = "wechat:" + appId + ":" + openid + ":" + createTime + ":" + eventName;
        Optional<String> eventKey = xml.token("EventKey");
        switch (eventName.toLowerCase(Locale.ROOT)) {
            case "subscribe":
                return start(id, EventTypes.CUSTOMER_FOLLOWED, createTime, record, who)
                        .extra("eventKey", eventKey.orElse(null))
                        // A follow through a parameterised QR code: EventKey is "qrscene_<scene>".
                        .extra("qrscene", eventKey.filter(k -> k.startsWith("qrscene_"))
                                .map(k -> k.substring("qrscene_".length())).orElse(null))
                        .extra("ticket", xml.token("Ticket").orElse(null))
                        .build();
            case "unsubscribe":
                return start(id, EventTypes.CUSTOMER_UNFOLLOWED, createTime, record, who).build();
            case "view":
                return start(id, EventTypes.PAGE_VIEWED, createTime, record, who)
                        .extra("url", eventKey.orElse(null))
                        .extra("menuId", xml.token("MenuId").orElse(null))
                        .build();
            case "templatesendjobfinish":
                return start(id, EventTypes.MESSAGE_DELIVERY, createTime, record, who)
                        .extra("msgId", xml.token("MsgID").or(() -> xml.token("MsgId")).orElse(null))
                        .extra("status", xml.token("Status").orElse(null))
                        .build();
            case "location":
                return start(id, EventTypes.INTERACTION, createTime, record, who)
                        .extra("event", eventName)
                        .extra("latitude", number(xml, "Latitude"))
                        .extra("longitude", number(xml, "Longitude"))
                        .extra("precision", number(xml, "Precision"))
                        .build();
            default:
                // SCAN, CLICK and whatever WeChat adds next: recorded as an interaction, not lost.
                return start(id, EventTypes.INTERACTION, createTime, record, who)
                        .extra("event", eventName)
                        .extra("eventKey", eventKey.orElse(null))
                        .extra("ticket", xml.token("Ticket").orElse(null))
                        .build();
        }
    }

    private List<CustomerEvent> wecom(WeChatXml xml, String corpId, RawRecord record) {
        Optional<String> externalUserId = xml.token("ExternalUserID");
        if (externalUserId.isEmpty()) {
            // Staff messages, approvals, directory changes: WeCom traffic about no customer.
            return List.of();
        }
        long createTime = xml.createTime();
        Optional<String> changeType = xml.token("ChangeType");
        String what = changeType.or(() -> xml.token("Event")).orElseGet(() -> xml.require("MsgType"));
        String id = "wecom:" + corpId + ":" + externalUserId.get() + ":" + createTime + ":" + what;
        String type = switch (changeType.orElse("")) {
            case ADD_EXTERNAL_CONTACT -> EventTypes.CUSTOMER_FOLLOWED;
            case EDIT_EXTERNAL_CONTACT -> EventTypes.PROFILE_UPDATED;
            case DEL_EXTERNAL_CONTACT -> EventTypes.CUSTOMER_UNFOLLOWED;
            default -> EventTypes.INTERACTION;
        };
        CustomerEvent.Builder event = start(id, type, createTime, record,
                Identity.of(IdentityTypes.WECOM_EXTERNAL_USERID, externalUserId.get(), corpId).withEvidence(Evidence.VERIFIED))
                .extra("changeType", changeType.orElse(null))
                .extra("staffUserId", xml.token("UserID").orElse(null))
                .extra("state", xml.token("State").orElse(null));
        if (EventTypes.CUSTOMER_FOLLOWED.equals(type) || EventTypes.PROFILE_UPDATED.equals(type)) {
            // The member the contact added (or whose contact changed): who a wecom.customer-message goes through.
            event.attribute(WECOM_SALESPERSON, xml.token("UserID").orElse(null));
        }
        if (EventTypes.INTERACTION.equals(type)) {
            event.extra("event", xml.token("Event").orElse(null));
        }
        return List.of(event.build());
    }

    private CustomerEvent.Builder start(String id, String type, long createTime, RawRecord record, Identity who) {
        return CustomerEvent.builder(id, type)
                .source(connectorId, instanceId)
                .time(Instant.ofEpochSecond(createTime))
                .receivedAt(record.receivedAt())
                .identity(who);
    }

    /** A decimal field as a number, or as sent when it is not one. */
    private static Object number(WeChatXml xml, String name) {
        Optional<String> text = xml.token(name);
        if (text.isEmpty()) {
            return null;
        }
        try {
            return new BigDecimal(text.get());
        } catch (NumberFormatException e) {
            return text.get();
        }
    }

    private static Map<String, String> orderedMap(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }
}
