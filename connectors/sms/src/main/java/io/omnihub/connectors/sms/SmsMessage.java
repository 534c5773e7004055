package io.omnihub.connectors.sms;

import java.util.List;
import java.util.Objects;

/**
 * One text message to send: a template the vendor approved, filled with parameters.
 *
 * @param phone        the recipient in E.164 ({@code +8613800138000})
 * @param templateCode the approved template: Aliyun's {@code SMS_...} code, Tencent's numeric id
 * @param signName     the approved sign name (短信签名), without brackets
 * @param params       the template's parameters in order, by name ({@code code=1234}); Tencent fills
 *                     {@code {1}}, {@code {2}}... by position, Aliyun {@code ${code}} by name
 * @param reference    our id for this message (from the action id), carried to the vendor so its
 *                     receipts and records can be matched to the action
 */
public record SmsMessage(String phone, String templateCode, String signName, List<Param> params, String reference) {

    public SmsMessage {
        Objects.requireNonNull(phone, "phone");
        Objects.requireNonNull(templateCode, "templateCode");
        params = List.copyOf(params);
        Objects.requireNonNull(reference, "reference");
    }

    /** One template parameter. */
    public record Param(String name, String value) {
    }
}
