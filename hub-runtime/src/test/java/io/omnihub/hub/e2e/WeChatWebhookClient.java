package io.omnihub.hub.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import me.chanjar.weixin.common.util.crypto.SHA1;
import me.chanjar.weixin.common.util.crypto.WxCryptUtil;

/**
 * Plays the WeChat and WeCom servers' side of a webhook: signs and (in safe mode) encrypts with
 * WxJava, the independent implementation, and posts to the hub exactly as WeChat does.
 */
final class WeChatWebhookClient {

    private final HttpClient http = HttpClient.newHttpClient();
    private final String hubBaseUrl;
    private final String token;
    private final String encodingAesKey;
    private final String appId;

    WeChatWebhookClient(String hubBaseUrl, String token, String encodingAesKey, String appId) {
        this.hubBaseUrl = hubBaseUrl;
        this.token = token;
        this.encodingAesKey = encodingAesKey;
        this.appId = appId;
    }

    /** An Official Account push in safe mode: signature and msg_signature, encrypted body. */
    HttpResponse<String> postSafeMode(String instance, String openid, String plainXml) {
        WxCryptUtil.EncryptContext encrypted = new WxCryptUtil(token, encodingAesKey, appId).encryptContext(plainXml);
        String query = "signature=" + SHA1.gen(token, encrypted.getTimeStamp(), encrypted.getNonce())
                + "&timestamp=" + encrypted.getTimeStamp()
                + "&nonce=" + encrypted.getNonce()
                + "&openid=" + openid
                + "&encrypt_type=aes"
                + "&msg_signature=" + encrypted.getSignature();
        String body = "<xml><ToUserName><![CDATA[gh_omnihub_test]]></ToUserName><Encrypt><![CDATA["
                + encrypted.getEncrypt() + "]]></Encrypt></xml>";
        return post("/hooks/wechat/" + instance + "?" + query, body);
    }

    /** A WeCom push: always encrypted, signed with msg_signature only. */
    HttpResponse<String> postWeCom(String instance, String plainXml) {
        WxCryptUtil.EncryptContext encrypted = new WxCryptUtil(token, encodingAesKey, appId).encryptContext(plainXml);
        String query = "msg_signature=" + encrypted.getSignature()
                + "&timestamp=" + encrypted.getTimeStamp()
                + "&nonce=" + encrypted.getNonce();
        String body = "<xml><ToUserName><![CDATA[" + appId + "]]></ToUserName><Encrypt><![CDATA["
                + encrypted.getEncrypt() + "]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>";
        return post("/hooks/wechat/" + instance + "?" + query, body);
    }

    /** An Official Account push in plaintext mode: the signature covers token, timestamp and nonce only. */
    HttpResponse<String> postPlain(String instance, String openid, String body) {
        return postPlain(instance, openid, body, Long.toString(System.currentTimeMillis() / 1000), Long.toString(System.nanoTime()));
    }

    /** The same, with the timestamp and nonce given: what a replay of a captured push reuses. */
    HttpResponse<String> postPlain(String instance, String openid, String body, String timestamp, String nonce) {
        String query = "signature=" + SHA1.gen(token, timestamp, nonce) + "&timestamp=" + timestamp
                + "&nonce=" + nonce + "&openid=" + openid;
        return post("/hooks/wechat/" + instance + "?" + query, body);
    }

    /** A push whose signature was made with the wrong token. */
    HttpResponse<String> postForged(String instance, String openid, String body) {
        String timestamp = Long.toString(System.currentTimeMillis() / 1000);
        String nonce = "forged";
        String query = "signature=" + SHA1.gen("not-the-token", timestamp, nonce) + "&timestamp=" + timestamp
                + "&nonce=" + nonce + "&openid=" + openid;
        return post("/hooks/wechat/" + instance + "?" + query, body);
    }

    /** The server-URL verification WeChat sends when an administrator saves the URL. */
    HttpResponse<String> verifyUrl(String instance, String echostr) {
        String timestamp = Long.toString(System.currentTimeMillis() / 1000);
        String nonce = "handshake";
        String query = "signature=" + SHA1.gen(token, timestamp, nonce) + "&timestamp=" + timestamp
                + "&nonce=" + nonce + "&echostr=" + URLEncoder.encode(echostr, StandardCharsets.UTF_8);
        return send(HttpRequest.newBuilder(URI.create(hubBaseUrl + "/hooks/wechat/" + instance + "?" + query)).GET().build());
    }

    private HttpResponse<String> post(String pathAndQuery, String body) {
        return send(HttpRequest.newBuilder(URI.create(hubBaseUrl + pathAndQuery))
                .header("Content-Type", "text/xml")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("hub unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String subscribe(String openid, long createTime) {
        return "<xml><ToUserName><![CDATA[gh_omnihub_test]]></ToUserName><FromUserName><![CDATA[" + openid
                + "]]></FromUserName><CreateTime>" + createTime + "</CreateTime><MsgType><![CDATA[event]]></MsgType>"
                + "<Event><![CDATA[subscribe]]></Event><EventKey><![CDATA[]]></EventKey></xml>";
    }

    static String text(String openid, long createTime, String content, long msgId) {
        return "<xml><ToUserName><![CDATA[gh_omnihub_test]]></ToUserName><FromUserName><![CDATA[" + openid
                + "]]></FromUserName><CreateTime>" + createTime + "</CreateTime><MsgType><![CDATA[text]]></MsgType>"
                + "<Content><![CDATA[" + content + "]]></Content><MsgId>" + msgId + "</MsgId></xml>";
    }

    static String addExternalContact(String corpId, String externalUserId, long createTime) {
        return "<xml><ToUserName><![CDATA[" + corpId + "]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>"
                + "<CreateTime>" + createTime + "</CreateTime><MsgType><![CDATA[event]]></MsgType>"
                + "<Event><![CDATA[change_external_contact]]></Event><ChangeType><![CDATA[add_external_contact]]></ChangeType>"
                + "<UserID><![CDATA[zhangsan]]></UserID><ExternalUserID><![CDATA[" + externalUserId + "]]></ExternalUserID>"
                + "<State><![CDATA[teststate]]></State><WelcomeCode><![CDATA[WELCOMECODE]]></WelcomeCode></xml>";
    }
}
