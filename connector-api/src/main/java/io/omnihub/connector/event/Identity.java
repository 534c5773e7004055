package io.omnihub.connector.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * One identifier of a person as a channel knows it.
 *
 * @param type      one of {@link IdentityTypes}
 * @param value     the identifier; phones in E.164 (see {@link #phone(String)})
 * @param namespace where the value is unique, for types that need one: the appid for
 *                  {@code wechat_openid}, the corpid for {@code wecom_external_userid}, the
 *                  client_key for {@code douyin_openid}, the seller for {@code tmall_ouid};
 *                  {@code null} for global types such as phone or unionid
 * @param evidence  how the channel knows the identifier is this person's (see {@link Evidence});
 *                  {@code null} when the channel does not say, which the CRM core treats as strong
 *                  evidence. Since 1.2.0.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Identity(String type, String value, String namespace, Evidence evidence) {

    @JsonCreator
    public Identity {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
        if (namespace != null && namespace.isBlank()) {
            namespace = null;
        }
    }

    /** An identity that does not say how the channel knows it (treated as strong evidence). */
    public Identity(String type, String value, String namespace) {
        this(type, value, namespace, null);
    }

    /**
     * This identity with {@code evidence}: {@code Identity.phone(raw).withEvidence(Evidence.DELIVERY)}.
     *
     * @since 1.2.0
     */
    public Identity withEvidence(Evidence evidence) {
        return new Identity(type, value, namespace, evidence);
    }

    /** A global identity (no namespace). */
    public static Identity of(String type, String value) {
        return new Identity(type, value, null);
    }

    /** A namespaced identity. */
    public static Identity of(String type, String value, String namespace) {
        return new Identity(type, value, namespace);
    }

    /**
     * A phone identity in E.164. Mainland China numbers without a country code ({@code 13800138000},
     * {@code 138-0013-8000}, {@code 0086 138...}) get {@code +86}; numbers already starting with
     * {@code +} keep their country code.
     *
     * @throws IllegalArgumentException when {@code raw} is not a phone number
     */
    public static Identity phone(String raw) {
        return new Identity(IdentityTypes.PHONE, toE164(raw), null);
    }

    static String toE164(String raw) {
        if (raw == null) {
            throw new IllegalArgumentException("phone number is missing");
        }
        String trimmed = raw.strip();
        boolean plus = trimmed.startsWith("+");
        String digits = trimmed.replaceAll("[\\s\\-().]", "");
        if (plus) {
            digits = digits.substring(1);
        }
        if (!digits.matches("\\d{5,15}")) {
            throw new IllegalArgumentException("not a phone number");
        }
        if (plus) {
            return "+" + digits;
        }
        if (digits.startsWith("0086")) {
            digits = digits.substring(4);
        } else if (digits.startsWith("86") && digits.length() == 13) {
            digits = digits.substring(2);
        }
        return "+86" + digits;
    }
}
