package io.omnihub.connectors.wechat;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnihub.connector.ConnectorContext;
import io.omnihub.connector.action.ActionResult;
import io.omnihub.connector.action.ActionSender;
import io.omnihub.connector.action.OutboundAction;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.IdentityTypes;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Sends {@value #CUSTOMER_MESSAGE} actions: a message to one external contact through their
 * salesperson, as a WeCom 企业群发 task ({@code /cgi-bin/externalcontact/add_msg_template},
 * {@code chat_type} {@code single}, one {@code external_userid}, {@code sender} = the salesperson's
 * userid).
 *
 * <p>Payload: {@code sender} (required: the userid of the member whose customer the contact is; the
 * contact's events carry it as attribute {@code wecomSalesperson}), {@code text} (the message) and/or
 * {@code attachments} (WeCom's attachment objects, passed on as they are: {@code image},
 * {@code link}, {@code miniprogram}, {@code video}, {@code file}; at most 9). The recipient is a
 * {@code wecom_external_userid} of this instance's corp.
 *
 * <p>WeCom does not send such a message by itself: the salesperson confirms it in their WeCom client,
 * and WeCom caps how many of them a customer receives per month. A contact WeCom cannot queue the
 * message for (not a customer of {@code sender}, its cap reached) comes back in {@code fail_list}:
 * bad input. The API takes no de-duplication key, so the connector remembers a created task's msgid
 * for a week under the action id in the hub's token cache and answers a repeated action from there
 * rather than creating a second task; a crash between WeCom's answer and that write can still create
 * two.
 */
public final class WeComActionSender implements ActionSender {

    public static final String CUSTOMER_MESSAGE = "wecom.customer-message";
    static final String ADD_MSG_TEMPLATE = "/cgi-bin/externalcontact/add_msg_template";
    static final String CREATED_KEY_PREFIX = "wecom-msg-template:";
    static final Duration REMEMBERED = Duration.ofDays(7);
    static final int MAX_ATTACHMENTS = 9;

    private final ConnectorContext ctx;
    private final WeChatConfig config;
    private final WeChatApiClient api;

    public WeComActionSender(ConnectorContext ctx, WeChatConfig config, WeChatApiClient api) {
        this.ctx = ctx;
        this.config = config;
        this.api = api;
    }

    @Override
    public Set<String> kinds() {
        return Set.of(CUSTOMER_MESSAGE);
    }

    @Override
    public ActionResult send(OutboundAction action) {
        if (!CUSTOMER_MESSAGE.equals(action.kind())) {
            throw new BadInputException("a WeCom instance cannot send actions of kind '" + action.kind() + "'");
        }
        String externalUserId = recipient(action);
        Map<String, Object> payload = action.payload();
        Object sender = payload.get("sender");
        if (!(sender instanceof String userid) || userid.isBlank()) {
            throw new BadInputException("action payload needs 'sender', the salesperson's WeCom userid");
        }
        Object text = payload.get("text");
        Object attachments = payload.get("attachments");
        if ((text == null || String.valueOf(text).isBlank()) && attachments == null) {
            throw new BadInputException("action payload needs 'text' or 'attachments'");
        }
        if (attachments != null && (!(attachments instanceof List<?> list) || list.size() > MAX_ATTACHMENTS)) {
            throw new BadInputException("action payload 'attachments' must be a list of at most " + MAX_ATTACHMENTS);
        }
        String memo = CREATED_KEY_PREFIX + WeChatActionSender.clientMsgId(action.id());
        Optional<String> created = ctx.tokens().get(memo);
        if (created.isPresent()) {
            return new ActionResult(created.get(), "customer message task already created for this action");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("chat_type", "single");
        body.put("external_userid", List.of(externalUserId));
        body.put("sender", userid.strip());
        if (text != null && !String.valueOf(text).isBlank()) {
            body.put("text", Map.of("content", String.valueOf(text)));
        }
        if (attachments != null) {
            body.put("attachments", attachments);
        }
        JsonNode answer = api.postJson(ADD_MSG_TEMPLATE, body);
        for (JsonNode failed : answer.path("fail_list")) {
            if (externalUserId.equals(failed.asText())) {
                throw new BadInputException("WeCom did not queue the message for this contact: not a customer of "
                        + "sender, or the contact's monthly limit of such messages is reached");
            }
        }
        String msgid = answer.path("msgid").asText("");
        if (!msgid.isEmpty()) {
            ctx.tokens().put(memo, msgid, REMEMBERED);
        }
        return new ActionResult(msgid.isEmpty() ? null : msgid,
                "customer message task created; the salesperson confirms it in WeCom");
    }

    private String recipient(OutboundAction action) {
        Identity recipient = action.recipient();
        if (recipient == null || !IdentityTypes.WECOM_EXTERNAL_USERID.equals(recipient.type())) {
            throw new BadInputException(CUSTOMER_MESSAGE + " needs a wecom_external_userid recipient");
        }
        if (recipient.namespace() != null && !recipient.namespace().equals(config.appId())) {
            throw new BadInputException(CUSTOMER_MESSAGE + " recipient is a contact of corp " + recipient.namespace()
                    + ", not of this instance's corp " + config.appId());
        }
        return recipient.value();
    }
}
