package io.omnihub.connectors.sms;

import io.omnihub.connector.action.ActionResult;
import io.omnihub.connector.action.ActionSender;
import io.omnihub.connector.action.OutboundAction;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.IdentityTypes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sends {@value #SEND} actions: one templated text message to the recipient's phone.
 *
 * <p>Payload: {@code template_code} (required: Aliyun's {@code SMS_...} code or Tencent's template
 * id), {@code sign_name} (the approved 短信签名; default the instance's {@code sign-name}) and
 * {@code params}: an object of template parameters ({@code {"code": "1234"}}) or, for Tencent's
 * positional templates, a list ({@code ["1234", "5"]}) or an object keyed {@code "1"}, {@code "2"},
 * ... Values are sent as text. The recipient is a {@code phone} identity in E.164.
 *
 * <p>The action id goes to the vendor as the message's reference ({@link #reference}): Aliyun's
 * {@code OutId}, which comes back in its delivery receipts, and Tencent's {@code SessionContext}.
 * Neither vendor de-duplicates on it: a send the hub repeats because a crash left its outcome unknown
 * can reach the phone twice.
 */
public final class SmsActionSender implements ActionSender {

    public static final String SEND = "sms.send";
    /** The longest action id sent as it is; longer ones go as a digest (see {@link #reference}). */
    static final int REFERENCE_MAX = 64;

    private final SmsConfig config;
    private final SmsGateway gateway;

    SmsActionSender(SmsConfig config, SmsGateway gateway) {
        this.config = config;
        this.gateway = gateway;
    }

    @Override
    public Set<String> kinds() {
        return Set.of(SEND);
    }

    @Override
    public ActionResult send(OutboundAction action) {
        if (!SEND.equals(action.kind())) {
            throw new BadInputException("the SMS connector cannot send actions of kind '" + action.kind() + "'");
        }
        Identity recipient = action.recipient();
        if (recipient == null || !IdentityTypes.PHONE.equals(recipient.type()) || !recipient.value().matches("\\+[1-9]\\d{4,14}")) {
            throw new BadInputException(SEND + " needs a phone recipient in E.164");
        }
        Map<String, Object> payload = action.payload();
        String template = text(payload, "template_code")
                .orElseThrow(() -> new BadInputException("action payload needs 'template_code'"));
        String sign = text(payload, "sign_name").or(config::signName)
                .orElseThrow(() -> new BadInputException("action payload needs 'sign_name' (the instance sets no sign-name)"));
        SmsMessage message = new SmsMessage(recipient.value(), template, sign, params(payload.get("params")),
                reference(action.id()));
        String messageId = gateway.send(message);
        return new ActionResult(messageId, "text message accepted by " + config.kind().id());
    }

    /**
     * The reference sent for an action id: the id itself when it has at most {@value #REFERENCE_MAX}
     * printable ASCII characters, else the first 32 hex digits of its SHA-256, the same on every send.
     */
    static String reference(String actionId) {
        if (actionId.length() <= REFERENCE_MAX && actionId.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            return actionId;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(actionId.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private List<SmsMessage.Param> params(Object raw) {
        List<SmsMessage.Param> params = new ArrayList<>();
        if (raw == null) {
            return params;
        }
        if (raw instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                params.add(new SmsMessage.Param(Integer.toString(i + 1), value(list.get(i))));
            }
            if (config.kind() == SmsConfig.Kind.ALIYUN) {
                throw new BadInputException("Aliyun templates take named parameters: 'params' must be an object");
            }
            return params;
        }
        if (!(raw instanceof Map<?, ?> map)) {
            throw new BadInputException("action payload 'params' must be an object (or, for Tencent, a list)");
        }
        map.forEach((name, value) -> params.add(new SmsMessage.Param(String.valueOf(name), value(value))));
        if (config.kind() == SmsConfig.Kind.TENCENT) {
            if (!params.stream().allMatch(p -> p.name().matches("[1-9]\\d{0,2}"))) {
                throw new BadInputException("Tencent templates are positional: 'params' must be a list or an object keyed 1, 2, ...");
            }
            params.sort(Comparator.comparingInt(p -> Integer.parseInt(p.name())));
        }
        return params;
    }

    private static String value(Object value) {
        if (value == null || value instanceof Map<?, ?> || value instanceof List<?>) {
            throw new BadInputException("template parameters must be text or numbers");
        }
        return String.valueOf(value);
    }

    private static java.util.Optional<String> text(Map<String, Object> payload, String key) {
        Object value = payload.get(key);
        return value instanceof String s && !s.isBlank() ? java.util.Optional.of(s.trim()) : java.util.Optional.empty();
    }
}
