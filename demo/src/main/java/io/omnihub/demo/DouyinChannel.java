package io.omnihub.demo;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Douyin Open Platform (PROTOCOLS §3): its client_token under {@code /douyin}, and the webhooks
 * of the brand's Douyin app, signed {@code X-Douyin-Signature = sha1_hex(client_secret + body)}.
 */
final class DouyinChannel {

    private final BrandAccounts accounts;
    private final AtomicLong messageIds = new AtomicLong(7_339_027_599_950_528_000L);

    DouyinChannel(BrandAccounts accounts) {
        this.accounts = accounts;
    }

    void install(WireMockServer server) {
        server.stubFor(post(urlPathEqualTo("/douyin/oauth/client_token/"))
                .willReturn(Answers.json(Recorded.text("douyin/api/client-token.json"))));
    }

    /** The person authorizes the brand's app (a follow, for the hub). */
    void authorize(HubClient hub, Person person) {
        ObjectNode push = Recorded.json("douyin/open/authorize.json");
        push.put("from_user_id", person.douyinOpenId());
        push.put("client_key", BrandAccounts.DOUYIN_CLIENT_KEY);
        push.put("log_id", "demo" + messageIds.incrementAndGet());
        send(hub, push);
    }

    /** The person writes to the brand's Douyin account in a private message. */
    void message(HubClient hub, Person person, String text) {
        ObjectNode push = Recorded.json("douyin/open/im-receive-msg-text.json");
        push.put("from_user_id", person.douyinOpenId());
        push.put("client_key", BrandAccounts.DOUYIN_CLIENT_KEY);
        push.put("log_id", "demo" + messageIds.incrementAndGet());
        ObjectNode content = (ObjectNode) push.path("content");
        content.put("server_message_id", Long.toString(messageIds.incrementAndGet()));
        content.put("text", text);
        content.put("create_time", System.currentTimeMillis());
        ObjectNode sender = (ObjectNode) content.path("user_infos").get(0);
        sender.put("open_id", person.douyinOpenId());
        sender.put("nick_name", person.name());
        send(hub, push);
    }

    private void send(HubClient hub, ObjectNode push) {
        byte[] body = push.toString().getBytes(StandardCharsets.UTF_8);
        hub.push("douyin", "brand-douyin", "", Map.of("Content-Type", "application/json",
                "X-Douyin-Signature", sha1(accounts.douyinClientSecret.getBytes(StandardCharsets.UTF_8), body),
                "Msg-Id", push.path("log_id").asText()), body);
    }

    static String sha1(byte[] secret, byte[] body) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(secret);
            sha1.update(body);
            return HexFormat.of().formatHex(sha1.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
