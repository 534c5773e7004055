package io.omnihub.demo;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Request;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * WeChat: the Official Account's and WeCom's API (PROTOCOLS §1.4-§2) under {@code /wechat} and
 * {@code /wecom}, and their pushes to the hub, signed and encrypted in safe mode (§1.1, §1.3).
 * The hub's template and subscribe messages are answered with a msgid and printed.
 */
final class WeChatChannel {

    private final BrandAccounts accounts;
    private final Cast cast;
    private final SecureRandom random = new SecureRandom();
    private final AtomicLong msgIds = new AtomicLong(2_002_283_320_000L);

    WeChatChannel(BrandAccounts accounts, Cast cast) {
        this.accounts = accounts;
        this.cast = cast;
    }

    void install(WireMockServer server, Answers answers) {
        server.stubFor(get(urlPathEqualTo("/wechat/cgi-bin/token"))
                .willReturn(Answers.json(token("wechat/api/token.json"))));
        answers.register("wechat-user-info", this::userInfo);
        server.stubFor(get(urlPathEqualTo("/wechat/cgi-bin/user/info")).willReturn(Answers.by("wechat-user-info")));
        answers.register("wechat-template", request -> delivered(request, "template message"));
        server.stubFor(post(urlPathEqualTo("/wechat/cgi-bin/message/template/send")).willReturn(Answers.by("wechat-template")));
        answers.register("wechat-subscribe", request -> delivered(request, "subscribe notification"));
        server.stubFor(post(urlPathEqualTo("/wechat/cgi-bin/message/subscribe/bizsend")).willReturn(Answers.by("wechat-subscribe")));

        server.stubFor(get(urlPathEqualTo("/wecom/cgi-bin/gettoken"))
                .willReturn(Answers.json(token("wechat/api/wecom-gettoken.json"))));
        answers.register("wecom-contact", this::externalContact);
        server.stubFor(get(urlPathEqualTo("/wecom/cgi-bin/externalcontact/get")).willReturn(Answers.by("wecom-contact")));
    }

    private String token(String recorded) {
        ObjectNode token = Recorded.json(recorded);
        token.put("access_token", "DEMO_" + Long.toHexString(random.nextLong()));
        return token.toString();
    }

    /** user/info: the follower's unionid (the account is bound to an Open Platform account). */
    private ResponseDefinitionBuilder userInfo(Request request) {
        String openid = request.queryParameter("openid").firstValue();
        ObjectNode info = Recorded.json("wechat/api/user-info.json");
        info.put("openid", openid);
        info.put("subscribe_time", System.currentTimeMillis() / 1000);
        cast.byOpenid(openid).ifPresentOrElse(p -> info.put("unionid", p.unionid()), () -> info.remove("unionid"));
        return Answers.json(info.toString());
    }

    /** externalcontact/get: the contact's unionid, and the phone the employee noted. */
    private ResponseDefinitionBuilder externalContact(Request request) {
        String id = request.queryParameter("external_userid").firstValue();
        Person person = cast.byExternalUserId(id).orElse(null);
        if (person == null) {
            return Answers.json("{\"errcode\":84061,\"errmsg\":\"not external contact\"}");
        }
        ObjectNode contact = Recorded.json("wechat/api/externalcontact-get.json");
        ObjectNode external = (ObjectNode) contact.path("external_contact");
        external.put("external_userid", id);
        external.put("name", person.name());
        external.put("unionid", person.unionid());
        external.put("corp_name", "");
        external.put("corp_full_name", "");
        ArrayNode followers = (ArrayNode) contact.path("follow_user");
        ObjectNode clerk = (ObjectNode) followers.get(0);
        followers.removeAll();
        followers.add(clerk);
        clerk.put("userid", "store.sh001");
        clerk.put("remark", person.name());
        clerk.put("description", "门店会员");
        clerk.put("createtime", System.currentTimeMillis() / 1000);
        clerk.putArray("remark_mobiles").add(person.phone());
        return Answers.json(contact.toString());
    }

    private ResponseDefinitionBuilder delivered(Request request, String what) {
        JsonNode message = Recorded.parse(request.getBodyAsString());
        String to = cast.byOpenid(message.path("touser").asText()).map(Person::name).orElse("an unknown follower");
        Log.line("  → WeChat delivers the " + what + " '" + message.path("template_id").asText() + "' to " + to);
        ObjectNode ok = Recorded.json("wechat/api/template-send-ok.json");
        ok.put("msgid", msgIds.incrementAndGet());
        return Answers.json(ok.toString());
    }

    // ---- pushes

    /** The person follows the Official Account: a subscribe event. */
    void follow(HubClient hub, Person person) {
        long now = System.currentTimeMillis() / 1000;
        String xml = Recorded.text("wechat/subscribe.xml");
        xml = Recorded.element(xml, "ToUserName", BrandAccounts.OA_GH_ID);
        xml = Recorded.element(xml, "FromUserName", person.openid());
        xml = Recorded.element(xml, "CreateTime", Long.toString(now));
        pushOfficialAccount(hub, person.openid(), xml);
    }

    /** The person writes to the Official Account. */
    void message(HubClient hub, Person person, String text, long msgId) {
        long now = System.currentTimeMillis() / 1000;
        String xml = Recorded.text("wechat/text-chinese.xml");
        xml = Recorded.element(xml, "ToUserName", BrandAccounts.OA_GH_ID);
        xml = Recorded.element(xml, "FromUserName", person.openid());
        xml = Recorded.element(xml, "CreateTime", Long.toString(now));
        xml = Recorded.element(xml, "Content", text);
        xml = Recorded.element(xml, "MsgId", Long.toString(msgId));
        pushOfficialAccount(hub, person.openid(), xml);
    }

    /** A store clerk adds the person as a WeCom customer contact. */
    void addContact(HubClient hub, Person person) {
        long now = System.currentTimeMillis() / 1000;
        String xml = Recorded.text("wechat/wecom-add-external-contact.xml");
        xml = Recorded.element(xml, "ToUserName", BrandAccounts.CORP_ID);
        xml = Recorded.element(xml, "CreateTime", Long.toString(now));
        xml = Recorded.element(xml, "UserID", "store.sh001");
        xml = Recorded.element(xml, "ExternalUserID", person.externalUserId());
        xml = Recorded.element(xml, "State", "store-" + BrandAccounts.STORE);
        WeChatCipher cipher = new WeChatCipher(accounts.corpAesKey, BrandAccounts.CORP_ID);
        String timestamp = Long.toString(now);
        String nonce = Long.toString(random.nextLong() & Long.MAX_VALUE);
        String encrypted = cipher.encrypt(randomBytes(), xml);
        String query = "?msg_signature=" + WeChatCipher.signature(accounts.corpToken, timestamp, nonce, encrypted)
                + "&timestamp=" + timestamp + "&nonce=" + nonce;
        String body = "<xml><ToUserName><![CDATA[" + BrandAccounts.CORP_ID + "]]></ToUserName><Encrypt><![CDATA["
                + encrypted + "]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>";
        hub.push("wechat", "brand-corp", query, Map.of("Content-Type", "text/xml"), body.getBytes(StandardCharsets.UTF_8));
    }

    /** Safe mode: {@code signature} over token, timestamp, nonce; {@code msg_signature} over those and the ciphertext. */
    private void pushOfficialAccount(HubClient hub, String openid, String xml) {
        WeChatCipher cipher = new WeChatCipher(accounts.oaAesKey, BrandAccounts.OA_APP_ID);
        String timestamp = Long.toString(System.currentTimeMillis() / 1000);
        String nonce = Long.toString(random.nextLong() & Long.MAX_VALUE);
        String encrypted = cipher.encrypt(randomBytes(), xml);
        String query = "?signature=" + WeChatCipher.signature(accounts.oaToken, timestamp, nonce)
                + "&timestamp=" + timestamp + "&nonce=" + nonce + "&openid=" + openid + "&encrypt_type=aes"
                + "&msg_signature=" + WeChatCipher.signature(accounts.oaToken, timestamp, nonce, encrypted);
        String body = "<xml><ToUserName><![CDATA[" + BrandAccounts.OA_GH_ID + "]]></ToUserName><Encrypt><![CDATA["
                + encrypted + "]]></Encrypt></xml>";
        hub.push("wechat", "brand-oa", query, Map.of("Content-Type", "text/xml"), body.getBytes(StandardCharsets.UTF_8));
    }

    private byte[] randomBytes() {
        byte[] bytes = new byte[16];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) ("abcdefghijklmnopqrstuvwxyz0123456789".charAt(random.nextInt(36)));
        }
        return bytes;
    }
}
