package io.omnihub.connectors.sms;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.event.Channels;
import io.omnihub.connector.event.Consent;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.EventTypes;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.Message;
import io.omnihub.connector.event.Normalizer;
import io.omnihub.connector.source.RawRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Turns SMS callbacks into canonical events, identity {@code phone} (E.164):
 * <ul>
 *   <li>a delivery receipt: {@code message.delivery}, {@code extra} = {@code channel} {@code sms},
 *       {@code vendor}, {@code messageId} (Aliyun {@code biz_id}, Tencent {@code sid}: the
 *       {@code channelReference} the send returned), {@code actionId} (Aliyun's {@code out_id}, when
 *       set), {@code status} {@code delivered} or {@code failed}, {@code code} and
 *       {@code description} as the vendor sent them;</li>
 *   <li>a reply that {@link UnsubscribeReply asks to unsubscribe}: {@code consent.changed} with
 *       {@code consent.marketingChannels = {sms: false}} and the reply as {@code message};</li>
 *   <li>any other reply: {@code message.received}, {@code message.kind} {@code text}.</li>
 * </ul>
 * Ids: {@code sms:aliyun:<biz_id>:<phone>} and {@code sms:aliyun:up:<sequence_id>};
 * {@code sms:tencent:<sdkAppId>:report:<sid>} and
 * {@code sms:tencent:<sdkAppId>:reply:<phone>:<time>:<digest of the text>} (Tencent's reply carries no id).
 */
final class SmsNormalizer implements Normalizer {

    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final String connectorId;
    private final String instanceId;

    SmsNormalizer(String connectorId, String instanceId) {
        this.connectorId = connectorId;
        this.instanceId = instanceId;
    }

    @Override
    public List<CustomerEvent> normalize(RawRecord record) {
        JsonNode item;
        try {
            item = SmsJson.MAPPER.readTree(record.payload());
        } catch (IOException e) {
            throw new BadInputException("SMS callback record is not JSON");
        }
        if (item == null || !item.isObject()) {
            throw new BadInputException("SMS callback record is not a JSON object");
        }
        String vendor = record.attributes().getOrDefault("vendor", "");
        boolean report = SmsCallbackHandler.REPORT.equals(record.attributes().get("callback"));
        return switch (vendor) {
            case "aliyun" -> List.of(report ? aliyunReport(item, record) : aliyunReply(item, record));
            case "tencent" -> List.of(report ? tencentReport(item, record) : tencentReply(item, record));
            default -> throw new BadInputException("SMS callback record names no known vendor");
        };
    }

    private CustomerEvent aliyunReport(JsonNode item, RawRecord record) {
        Identity phone = aliyunPhone(require(item, "phone_number"));
        String bizId = require(item, "biz_id");
        return start("sms:aliyun:" + bizId + ":" + phone.value(), EventTypes.MESSAGE_DELIVERY,
                localTime(item.path("report_time").asText(item.path("send_time").asText("")), record), record, phone)
                .extra("channel", Channels.SMS)
                .extra("vendor", "aliyun")
                .extra("messageId", bizId)
                .extra("actionId", blankToNull(item.path("out_id").asText("")))
                .extra("status", item.path("success").asBoolean(false) ? "delivered" : "failed")
                .extra("code", blankToNull(item.path("err_code").asText("")))
                .extra("description", blankToNull(item.path("err_msg").asText("")))
                .extra("segments", blankToNull(item.path("sms_size").asText("")))
                .build();
    }

    private CustomerEvent aliyunReply(JsonNode item, RawRecord record) {
        Identity phone = aliyunPhone(require(item, "phone_number"));
        String text = item.path("content").asText("");
        return reply("sms:aliyun:up:" + require(item, "sequence_id"), text,
                localTime(item.path("send_time").asText(""), record), record, phone, "aliyun")
                .extra("signName", blankToNull(item.path("sign_name").asText("")))
                .extra("destCode", blankToNull(item.path("dest_code").asText("")))
                .build();
    }

    private CustomerEvent tencentReport(JsonNode item, RawRecord record) {
        Identity phone = tencentPhone(item);
        String sid = require(item, "sid");
        return start("sms:tencent:" + appId(record) + ":report:" + sid, EventTypes.MESSAGE_DELIVERY,
                localTime(item.path("user_receive_time").asText(""), record), record, phone)
                .extra("channel", Channels.SMS)
                .extra("vendor", "tencent")
                .extra("messageId", sid)
                .extra("status", "SUCCESS".equalsIgnoreCase(item.path("report_status").asText()) ? "delivered" : "failed")
                .extra("code", blankToNull(item.path("errmsg").asText("")))
                .extra("description", blankToNull(item.path("description").asText("")))
                .build();
    }

    private CustomerEvent tencentReply(JsonNode item, RawRecord record) {
        Identity phone = tencentPhone(item);
        String text = item.path("text").asText("");
        long time = item.path("time").asLong(0);
        Instant at = time > 0 ? Instant.ofEpochSecond(time) : record.receivedAt();
        String id = "sms:tencent:" + appId(record) + ":reply:" + phone.value() + ":" + time + ":"
                + TencentSigner.sha256Hex(text.getBytes(StandardCharsets.UTF_8)).substring(0, 16);
        return reply(id, text, at, record, phone, "tencent")
                .extra("signName", blankToNull(item.path("sign").asText("")))
                .extra("extendCode", blankToNull(item.path("extend").asText("")))
                .build();
    }

    private CustomerEvent.Builder reply(String id, String text, Instant at, RawRecord record, Identity phone, String vendor) {
        boolean unsubscribe = UnsubscribeReply.isUnsubscribe(text);
        CustomerEvent.Builder event = start(id, unsubscribe ? EventTypes.CONSENT_CHANGED : EventTypes.MESSAGE_RECEIVED,
                at, record, phone)
                .message(new Message("text", text))
                .extra("channel", Channels.SMS)
                .extra("vendor", vendor);
        if (unsubscribe) {
            event.consent(Consent.channelMarketing(Channels.SMS, false)).extra("reason", "unsubscribe reply");
        }
        return event;
    }

    private CustomerEvent.Builder start(String id, String type, Instant at, RawRecord record, Identity phone) {
        return CustomerEvent.builder(id, type)
                .source(connectorId, instanceId)
                .time(at)
                .receivedAt(record.receivedAt())
                .identity(phone);
    }

    /** Aliyun sends mainland numbers as 11 digits, others with their country code. */
    static Identity aliyunPhone(String raw) {
        String digits = raw.strip().replaceFirst("^\\+", "").replaceFirst("^00", "");
        try {
            return Identity.phone(digits.length() == 11 && digits.startsWith("1") ? digits : "+" + digits);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("SMS callback carries a phone_number that is not a phone number");
        }
    }

    private static Identity tencentPhone(JsonNode item) {
        String nationcode = item.path("nationcode").asText("86").replaceFirst("^\\+", "");
        try {
            return Identity.phone("+" + (nationcode.isBlank() ? "86" : nationcode) + require(item, "mobile"));
        } catch (IllegalArgumentException e) {
            throw new BadInputException("SMS callback carries a mobile that is not a phone number");
        }
    }

    private static String appId(RawRecord record) {
        String id = record.attributes().get("sdkAppId");
        if (id == null || id.isBlank()) {
            throw new BadInputException("Tencent SMS callback record without its SmsSdkAppId");
        }
        return id;
    }

    /** A vendor's local time ({@code yyyy-MM-dd HH:mm:ss}, Beijing), else when the hub received it. */
    private static Instant localTime(String text, RawRecord record) {
        try {
            return LocalDateTime.parse(text.strip(), LOCAL).atZone(CustomerEvent.CHINA).toInstant();
        } catch (DateTimeParseException e) {
            return record.receivedAt();
        }
    }

    private static String require(JsonNode item, String field) {
        String value = item.path(field).asText("");
        if (value.isBlank()) {
            throw new BadInputException("SMS callback entry without '" + field + "'");
        }
        return value.strip();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
