package io.omnihub.hub.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.omnihub.hub.RunningHub;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * An operator moves an instance to a host of their own (re-entering dummy secrets, as a moved
 * address requires): the access token the hub cached from the real WeChat never reaches that host.
 * Deleting the instance drops its cached tokens.
 */
class CachedTokensFollowTheAddressTest extends RunningHub {

    static final String REAL_TOKEN = "REAL-WECHAT-ACCESS-TOKEN-0001";
    static final String PUSH_TOKEN = "moving-push-token";
    static final String APP_ID = "wx00000000000m0ve1";
    static final WireMockServer REAL = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    static final WireMockServer OPERATORS_HOST = new WireMockServer(WireMockConfiguration.options().dynamicPort());

    static {
        REAL.start();
        OPERATORS_HOST.start();
        REAL.stubFor(get(urlPathEqualTo("/cgi-bin/token")).willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody("{\"access_token\":\"" + REAL_TOKEN + "\",\"expires_in\":7200}")));
        // The operator's host knows no token to hand out (the dummy secret opens nothing); it only listens.
        OPERATORS_HOST.stubFor(get(urlPathEqualTo("/cgi-bin/token")).willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody("{\"errcode\":40125,\"errmsg\":\"invalid appsecret\"}")));
        for (WireMockServer server : new WireMockServer[] {REAL, OPERATORS_HOST}) {
            server.stubFor(get(urlPathEqualTo("/cgi-bin/user/info")).willReturn(aResponse().withHeader("Content-Type", "application/json")
                    .withBody("{\"subscribe\":1,\"openid\":\"oMovingFollower_000000000001\"}")));
        }
    }

    @AfterAll
    static void stopServers() {
        REAL.stop();
        OPERATORS_HOST.stop();
    }

    @Autowired
    DataSource dataSource;

    @Test
    void theTokenCachedFromTheRealChannelIsNeverSentToTheHostTheInstanceWasMovedTo() {
        ApiCalls api = new ApiCalls("http://localhost:" + port);
        define(api, REAL.baseUrl(), "the-real-app-secret");
        awaitCheckFrom(REAL);
        assertThat(cachedEntries()).as("the real token is cached").isPositive();

        define(api, OPERATORS_HOST.baseUrl(), "dummy-secret");
        awaitCheckFrom(OPERATORS_HOST);
        // A follower's push makes the hub enrich it: a call to the API with the token it holds for this instance.
        WeChatWebhookClient wechat = new WeChatWebhookClient("http://localhost:" + port, PUSH_TOKEN, null, APP_ID);
        assertThat(wechat.postPlain("moving-oa", "oMovingFollower_000000000001",
                "<xml><ToUserName><![CDATA[gh_moving]]></ToUserName><FromUserName><![CDATA[oMovingFollower_000000000001]]></FromUserName>"
                        + "<CreateTime>" + System.currentTimeMillis() / 1000 + "</CreateTime><MsgType><![CDATA[event]]></MsgType>"
                        + "<Event><![CDATA[subscribe]]></Event></xml>").statusCode()).isEqualTo(200);
        // The enrichment calls the new host: for a token of its own (the check asked once before), or,
        // were the real token still handed out, straight for the user's info.
        await().atMost(Duration.ofSeconds(30)).until(() -> OPERATORS_HOST.getAllServeEvents().stream()
                .filter(event -> event.getRequest().getUrl().startsWith("/cgi-bin/")).count() >= 2);

        // It never sent the real one.
        assertThat(OPERATORS_HOST.getAllServeEvents()).extracting(ServeEvent::getRequest)
                .noneMatch(request -> request.getUrl().contains(REAL_TOKEN) || request.getBodyAsString().contains(REAL_TOKEN));
        assertThat(OPERATORS_HOST.getAllServeEvents()).extracting(event -> event.getRequest().getUrl())
                .noneMatch(url -> url.startsWith("/cgi-bin/user/info"));
    }

    @Test
    void deletingAnInstanceDropsItsCachedTokens() {
        ApiCalls api = new ApiCalls("http://localhost:" + port);
        String instance = "short-lived-oa";
        assertThat(api.call("PUT", "/api/v1/connectors/wechat/instances/" + instance, ApiCalls.json(Map.of("kind", "mp", "app-id", APP_ID,
                "app-secret", "secret", "token", PUSH_TOKEN, "api-base-url", REAL.baseUrl())), admin.username(), admin.password()).status())
                .isEqualTo(201);
        await().atMost(Duration.ofSeconds(30)).until(() -> entriesOf(instance) > 0);

        assertThat(api.call("DELETE", "/api/v1/connectors/wechat/instances/" + instance, null, admin.username(), admin.password()).status())
                .isEqualTo(204);

        assertThat(entriesOf(instance)).isZero();
    }

    private void define(ApiCalls api, String apiBaseUrl, String appSecret) {
        ApiCalls.Reply reply = api.call("PUT", "/api/v1/connectors/wechat/instances/moving-oa", ApiCalls.json(Map.of("kind", "mp",
                "app-id", APP_ID, "app-secret", appSecret, "token", PUSH_TOKEN, "api-base-url", apiBaseUrl)), admin.username(), admin.password());
        assertThat(reply.status()).as(reply.body()).isIn(200, 201);
    }

    private void awaitCheckFrom(WireMockServer server) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
                server.getAllServeEvents().stream().anyMatch(event -> event.getRequest().getUrl().startsWith("/cgi-bin/token"))
                        && getAsAdmin("/api/v1/connectors/wechat/instances/moving-oa").json().path("lastCheck").has("ok"));
    }

    private int cachedEntries() {
        return entriesOf("moving-oa");
    }

    private int entriesOf(String instance) {
        return new JdbcTemplate(dataSource).queryForObject("select count(*) from hub_token_cache where instance_id = ?", Integer.class, instance);
    }
}
