package io.omnihub.hub.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnihub.crm.MaskedValue;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.omnihub.hub.PluginJars;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One person across every channel the hub ships a plugin for, on real parts (every channel knows their
 * phone only weakly, so the phone is kept on each channel's profile without joining them): the seven plugin JARs the
 * build put in {@code plugins/}, loaded by PF4J; embedded Artemis and PostgreSQL; WireMock as the
 * WeChat, WeCom, 抖店, TOP and Kingdee APIs; a real folder for the POS CSV drops; the SMS plugin's
 * callback URL for her unsubscribe reply. Instances are configured by properties only, as an
 * integrator would.
 *
 * <p>Person one is a WeChat follower (openid, unionid), a WeCom contact noted with her phone, a 抖店
 * buyer whose decrypted phone matches, a Tmall buyer with that receiver phone, a POS member (card and
 * phone) and a Kingdee customer with that phone. Person two shares with her only the test phone
 * {@value #BLOCKED_PHONE}, which is configured as blocked (a clerk's habit at the till).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrossChannelEndToEndTest {

    static final String ADMIN_PASSWORD = "cross-channel-admin";
    static final String PHONE = "13912345678";
    static final String E164 = "+86" + PHONE;
    static final String SMS_CALLBACK_KEY = "cbk_e2e_5d8a1f3c9b7e2a40";
    static final String BLOCKED_PHONE = "13800000000";

    // WeChat (PROTOCOLS §1-2)
    static final String TOKEN = "pamtest";
    static final String AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    static final String APP_ID = "wxb11529c136998cb6";
    static final String CORP_ID = "ww4a5b6c7d8e9f0a1b";
    static final String OPENID = "o6_bmjrPTlm6_2sgVt7hMZOPfL2M";
    static final String UNIONID = "o6_bmasdasdsad6_2sgVt7hMZOPfL";
    static final String EXTERNAL_USERID = "woAJ2GCAAAXtWyujaWJHDDGi0mACH71w";
    // 抖店 (PROTOCOLS §4)
    static final long SHOP_ID = 12345;
    static final long FLAKY_SHOP_ID = 67890;
    static final String DOUDIAN_ORDER = "6920000000000000000";
    static final String DOUDIAN_BUYER = "1@#e2e-buyer-one";
    // TOP (PROTOCOLS §5)
    static final String SELLER = "欧姆尼官方旗舰店";
    static final String TMALL_BUYER = "AAHm5d-EAAeGwJedwSHpg8bT";
    static final String TOP_SESSION = "6100e2e-session";
    static final String EXPIRED_SESSION = "6100e2e-expired";
    static final String LIMITED_SESSION = "6100e2e-limited";
    /** How long TOP bans the limited shop's app after each refusal. */
    static final int BAN_SECONDS = 8;
    // Kingdee (PROTOCOLS §7.1)
    static final String ACCT_ID = "62f3a1b7c9d4e5";

    static final WireMockServer WECHAT_API = server();
    static final WireMockServer DOUDIAN_API = server();
    static final WireMockServer FLAKY_DOUDIAN_API = server();
    static final WireMockServer TOP_API = server();
    static final WireMockServer LIMITED_TOP_API = server();
    static final WireMockServer KINGDEE_API = server();
    static final Path DATA_DIR;
    static final Path PLUGINS_DIR;
    static final Path POS_DROP;

    static {
        WeChatApiStubs.officialAccount(WECHAT_API, APP_ID, OPENID, UNIONID);
        WeChatApiStubs.weCom(WECHAT_API, CORP_ID, EXTERNAL_USERID, UNIONID, PHONE);

        ChannelServers.doudianToken(DOUDIAN_API, SHOP_ID, "shop-token");
        ChannelServers.doudianOrder(DOUDIAN_API, "shop-token", DOUDIAN_ORDER, 9900, DOUDIAN_BUYER, "#e2e#cipher-one#", PHONE);
        // The flaky shop's API is down from the start: its pushes must wait, not vanish.
        ChannelServers.down(FLAKY_DOUDIAN_API, 502);

        ChannelServers.topSeller(TOP_API, TOP_SESSION, SELLER);
        ChannelServers.topTrades(TOP_API, TOP_SESSION,
                ChannelServers.topTrade("3712345678901234501", "WAIT_SELLER_SEND_GOODS", "200.07", TMALL_BUYER, SELLER, PHONE),
                // Her second order, where the clerk typed the test number as the receiver phone.
                ChannelServers.topTrade("3712345678901234502", "TRADE_FINISHED", "15.00", TMALL_BUYER, SELLER, BLOCKED_PHONE));
        ChannelServers.topError(TOP_API, EXPIRED_SESSION, 27, "Invalid session", "invalid-sessionkey", "SessionKey非法");
        // The limited shop's quota is used up: TOP answers HTTP 200 with error 7 and a ban time.
        ChannelServers.topError(LIMITED_TOP_API, LIMITED_SESSION, 7, "App Call Limited",
                "accesscontrol.limited-by-app-access-count", "This ban will last for " + BAN_SECONDS + " more seconds");

        ChannelServers.kingdeeLogin(KINGDEE_API, ACCT_ID, "crm_sync", "Kd#lanhu2024!", "4f1c7a9e");
        // FieldKeys: FCUSTID,FNumber,FName,FShortName,FTEL,FADDRESS,FCreateDate,FModifyDate,FDocumentStatus,FForbidStatus,FUseOrgId.FNumber
        ChannelServers.kingdeeRows(KINGDEE_API, "4f1c7a9e", "BD_Customer",
                "[[100231,\"CUST0231\",\"王小明\",null,\"" + PHONE + "\",\"上海市静安区南京西路1号\",\"2026-11-01T09:00:00\","
                        + "\"2026-11-20T10:15:30.123\",\"C\",\"A\",\"100\"]]");
        // FieldKeys: FID,FBillNo,FDate,FCustId.FNumber,FCustId.FName,FBillAllAmount,FSettleCurrId.FNumber,FCreateDate,
        //            FModifyDate,FDocumentStatus,FCloseStatus,FCancelStatus,FSaleOrgId.FNumber
        ChannelServers.kingdeeRows(KINGDEE_API, "4f1c7a9e", "SAL_SaleOrder",
                "[[100501,\"XSDD000501\",\"2026-11-20T00:00:00\",\"CUST0231\",\"王小明\",1234.56,\"PRE001\","
                        + "\"2026-11-20T09:00:00\",\"2026-11-20T09:05:00.000\",\"C\",\"A\",\"A\",\"100\"]]");
        // FieldKeys: FID,FSaleOrderEntry_FEntryID,FMaterialId.FNumber,FMaterialId.FName,FQty,FTaxPrice,FAllAmount,
        //            FMaterialId.FMaterialGroup.FNumber
        ChannelServers.kingdeeLines(KINGDEE_API, "4f1c7a9e",
                "[[100501,100502,\"RUN-42\",\"缓震跑鞋 42码\",2,617.28,1234.56,\"RUN\"]]");
        try {
            DATA_DIR = Files.createTempDirectory("omnihub-cross-channel-data");
            POS_DROP = Files.createTempDirectory("omnihub-pos-drop");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PLUGINS_DIR = PluginJars.folderWith(PluginJars.BUNDLED);
    }

    @DynamicPropertySource
    static void hubProperties(DynamicPropertyRegistry registry) {
        registry.add("hub.data-dir", DATA_DIR::toString);
        registry.add("hub.plugins.dir", PLUGINS_DIR::toString);
        registry.add("hub.security.admin-password", () -> ADMIN_PASSWORD);
        registry.add("hub.identity.blocked-values.phone", () -> "+86" + BLOCKED_PHONE);
        // Small windows so a few failures open a circuit, and short waits so the test sees recovery.
        registry.add("hub.resilience.circuit-breaker.minimum-number-of-calls", () -> "4");
        registry.add("hub.resilience.circuit-breaker.sliding-window-size", () -> "8");
        registry.add("hub.resilience.circuit-breaker.wait-in-open-state", () -> "2s");
        registry.add("hub.pipeline.retry-initial-delay", () -> "500ms");
        registry.add("hub.pipeline.retry-max-delay", () -> "3s");
        registry.add("hub.pipeline.retry-max-attempts", () -> "40");

        WeChatInstances.register(registry, "brand-oa", "mp", APP_ID, "oa-app-secret", TOKEN, AES_KEY, WECHAT_API.baseUrl());
        WeChatInstances.register(registry, "brand-corp", "wecom", CORP_ID, "corp-app-secret", TOKEN, AES_KEY, WECHAT_API.baseUrl());

        doudianShop(registry, "flagship-shop", SHOP_ID, DOUDIAN_API);
        doudianShop(registry, "flaky-shop", FLAKY_SHOP_ID, FLAKY_DOUDIAN_API);

        tmallShop(registry, "flagship", TOP_SESSION, TOP_API);
        tmallShop(registry, "expired", EXPIRED_SESSION, TOP_API);
        tmallShop(registry, "limited", LIMITED_SESSION, LIMITED_TOP_API);

        String pos = "hub.connectors.pos.stores.";
        registry.add(pos + "source", () -> "csv-folder");
        registry.add(pos + "folder", POS_DROP::toString);
        registry.add(pos + "brand", () -> "acme");
        registry.add(pos + "settle-seconds", () -> "0");
        registry.add(pos + "poll-interval", () -> "1s");

        kingdee(registry, "kingdee", "Kd#lanhu2024!");
        kingdee(registry, "kingdee-typo", "not-the-password");

        String sms = "hub.connectors.sms.aliyun.";
        registry.add(sms + "kind", () -> "aliyun");
        registry.add(sms + "access-key-id", () -> "LTAI5tQ8kRm3Zp7wXy2NcA9v");
        registry.add(sms + "access-key-secret", () -> "aliyun-sms-secret-0001");
        registry.add(sms + "callback-key", () -> SMS_CALLBACK_KEY);
        registry.add(sms + "api-base-url", KINGDEE_API::baseUrl);
    }

    static void doudianShop(DynamicPropertyRegistry registry, String instance, long shopId, WireMockServer api) {
        String p = "hub.connectors.douyin." + instance + ".";
        registry.add(p + "kind", () -> "shop");
        registry.add(p + "app-key", () -> ChannelServers.DOUDIAN_APP_KEY);
        registry.add(p + "app-secret", () -> ChannelServers.DOUDIAN_APP_SECRET);
        registry.add(p + "shop-id", () -> Long.toString(shopId));
        registry.add(p + "api-base-url", api::baseUrl);
    }

    static void tmallShop(DynamicPropertyRegistry registry, String instance, String session, WireMockServer api) {
        String p = "hub.connectors.tmall." + instance + ".";
        registry.add(p + "app-key", () -> "12345678");
        registry.add(p + "app-secret", () -> "top-app-secret");
        registry.add(p + "session", () -> session);
        registry.add(p + "api-base-url", () -> api.baseUrl() + "/router/rest");
        registry.add(p + "tmc-enabled", () -> "false");
        registry.add(p + "poll-interval", () -> "2s");
    }

    static void kingdee(DynamicPropertyRegistry registry, String instance, String password) {
        String p = "hub.connectors.erp." + instance + ".";
        registry.add(p + "base-url", () -> KINGDEE_API.baseUrl() + "/k3cloud");
        registry.add(p + "acct-id", () -> ACCT_ID);
        registry.add(p + "username", () -> "crm_sync");
        registry.add(p + "password", () -> password);
        registry.add(p + "poll-interval", () -> "2s");
    }

    @LocalServerPort
    int port;

    @Autowired
    EmbeddedActiveMQ broker;

    HubApi api;
    PipelineProbe pipeline;

    @BeforeEach
    void clients() {
        api = new HubApi("http://localhost:" + port, "admin", ADMIN_PASSWORD);
        pipeline = new PipelineProbe(broker);
    }

    @AfterAll
    static void stopChannels() {
        List.of(WECHAT_API, DOUDIAN_API, FLAKY_DOUDIAN_API, TOP_API, LIMITED_TOP_API, KINGDEE_API).forEach(WireMockServer::stop);
    }

    @Test
    @Order(1)
    void theBundledPluginsStartAndBadCredentialsAreReportedClearly() {
        for (String id : PluginJars.BUNDLED) {
            assertThat(Path.of("..", "plugins", id + "-plugin.jar")).as("the build drops %s into plugins/", id).isRegularFile();
        }
        JsonNode plugins = api.getJson("/api/v1/plugins");
        List<String> started = new ArrayList<>();
        plugins.forEach(p -> {
            if ("STARTED".equals(p.path("state").asText())) {
                started.add(p.path("id").asText());
            }
        });
        assertThat(started).contains(PluginJars.BUNDLED);
        plugins.forEach(p -> {
            if (List.of("sms", "email").contains(p.path("id").asText())) {
                assertThat(p.path("connectors")).as("the %s plugin's extension is found", p.path("id").asText())
                        .extracting(JsonNode::asText).containsExactly(p.path("id").asText());
            }
        });

        await().atMost(Duration.ofSeconds(60)).until(() -> instance("wechat", "brand-oa").path("state").asText().equals("RUNNING")
                && instance("douyin", "flagship-shop").path("state").asText().equals("RUNNING")
                && instance("tmall", "flagship").path("state").asText().equals("RUNNING")
                && instance("pos", "stores").path("state").asText().equals("RUNNING")
                && instance("erp", "kingdee").path("state").asText().equals("RUNNING"));

        JsonNode expired = await().atMost(Duration.ofSeconds(30))
                .until(() -> instance("tmall", "expired"), i -> !i.path("lastCheck").isMissingNode() && !i.path("lastCheck").isNull());
        assertThat(expired.path("lastCheck").path("ok").asBoolean()).isFalse();
        assertThat(expired.path("lastCheck").path("message").asText()).containsIgnoringCase("session").contains("authorise");

        JsonNode typo = await().atMost(Duration.ofSeconds(30))
                .until(() -> instance("erp", "kingdee-typo"), i -> !i.path("lastCheck").isMissingNode() && !i.path("lastCheck").isNull());
        assertThat(typo.path("lastCheck").path("ok").asBoolean()).isFalse();
        assertThat(typo.path("lastCheck").path("message").asText()).contains("用户名或密码错误");
        assertThat(typo.path("config").path("password").asText()).isEqualTo("******");

        JsonNode flagship = instance("erp", "kingdee");
        await().atMost(Duration.ofSeconds(30)).until(() -> instance("erp", "kingdee").path("lastCheck").path("ok").asBoolean());
        assertThat(flagship.path("config").toString()).doesNotContain("Kd#lanhu2024!");
    }

    @Test
    @Order(2)
    void onePersonSeenOnSixChannelsKeepsEveryShopsOrdersAndOnlyStrongEvidenceJoinsProfiles() throws IOException {
        String base = "http://localhost:" + port;
        WeChatWebhookClient officialAccount = new WeChatWebhookClient(base, TOKEN, AES_KEY, APP_ID);
        WeChatWebhookClient weCom = new WeChatWebhookClient(base, TOKEN, AES_KEY, CORP_ID);
        long now = System.currentTimeMillis() / 1000;

        assertThat(officialAccount.postSafeMode("brand-oa", OPENID, WeChatWebhookClient.subscribe(OPENID, now)).statusCode())
                .isEqualTo(200);
        assertThat(weCom.postWeCom("brand-corp", WeChatWebhookClient.addExternalContact(CORP_ID, EXTERNAL_USERID, now)).statusCode())
                .isEqualTo(200);
        HttpResponse<String> pushed = pushDoudian("flagship-shop",
                ChannelServers.doudianPaidPush("7000000000000000001", DOUDIAN_ORDER, 9900, SHOP_ID));
        assertThat(pushed.statusCode()).isEqualTo(200);
        assertThat(pushed.body()).isEqualTo("{\"code\":0,\"msg\":\"success\"}");
        dropCsv("tickets-20261120.csv", """
                小票号,门店,时间,手机号,会员卡号,金额
                T-0001,静安店,2026-11-20 09:30:15,%s,VIP0001,88.50
                T-0002,静安店,2026-11-20 09:41:02,%s,VIP0002,19.90
                T-0003,静安店,2026-11-20 09:52:40,13912345670,VIP0003,十二元
                """.formatted(PHONE, BLOCKED_PHONE));

        // Every channel knows the phone only weakly (WeCom remark_mobiles and the clerk's ticket noted it,
        // the marketplaces deliver to it, the ERP record's was keyed in by staff): it is kept on each
        // profile but joins none of them, since weak evidence never merges established profiles (a
        // gift's receiver, a family member's phone look the same). Strong evidence joins what it can:
        // the unionid joins the Official Account follower and the WeCom contact.
        JsonNode wechat = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300))
                .until(() -> api.customerByIdentity("wechat_openid", OPENID, APP_ID).orElse(null),
                        c -> c != null && HubApi.hasIdentity(c, "wechat_unionid", UNIONID)
                                && HubApi.hasIdentity(c, "wecom_external_userid", EXTERNAL_USERID));
        JsonNode doudian = ordersOf("doudian_openid", DOUDIAN_BUYER, Long.toString(SHOP_ID), 1);
        JsonNode tmall = ordersOf("tmall_ouid", TMALL_BUYER, SELLER, 2);
        JsonNode store = ordersOf("member_card", "VIP0001", "acme", 1);
        JsonNode erp = ordersOf("erp_customer", "CUST0231", ACCT_ID, 1);

        // 抖店 99.00, Tmall 200.07 and 15.00, POS 88.50, Kingdee 1234.56, in fen, each on its buyer's profile
        assertThat(doudian.path("orders").path("totalMinorByCurrency").path("CNY").asLong()).isEqualTo(9900);
        assertThat(tmall.path("orders").path("totalMinorByCurrency").path("CNY").asLong()).isEqualTo(20007 + 1500);
        assertThat(store.path("orders").path("totalMinorByCurrency").path("CNY").asLong()).isEqualTo(8850);
        assertThat(erp.path("orders").path("totalMinorByCurrency").path("CNY").asLong()).isEqualTo(123456);
        assertThat(erp.path("timeline")).as("the Kingdee order arrives with its line")
                .filteredOn(e -> e.path("eventId").asText().contains(":SAL_SaleOrder:"))
                .singleElement().satisfies(e -> assertThat(e.path("summary").path("order").path("lines").asInt()).isEqualTo(1));
        assertThat(List.of(wechat, doudian, tmall, store, erp)).extracting(c -> c.path("id").asText()).doesNotHaveDuplicates();
        assertThat(api.customerByIdentity("wecom_external_userid", EXTERNAL_USERID, CORP_ID)).map(c -> c.path("id").asText())
                .contains(wechat.path("id").asText());
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> {
            for (String[] who : List.of(new String[] {"wechat_openid", OPENID, APP_ID},
                    new String[] {"doudian_openid", DOUDIAN_BUYER, Long.toString(SHOP_ID)}, new String[] {"tmall_ouid", TMALL_BUYER, SELLER},
                    new String[] {"member_card", "VIP0001", "acme"}, new String[] {"erp_customer", "CUST0231", ACCT_ID})) {
                JsonNode c = api.customerByIdentity(who[0], who[1], who[2]).orElseThrow();
                if (!weaklyHeldPhone(c)) {
                    return false;
                }
            }
            return true;
        });
    }

    /** The profile {@code type:value} finds, once it holds {@code orders} orders. */
    private JsonNode ordersOf(String type, String value, String namespace, int orders) {
        return await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300))
                .until(() -> api.customerByIdentity(type, value, namespace).orElse(null),
                        c -> c != null && c.path("orders").path("count").asLong() == orders);
    }

    /** Whether the profile carries the shared phone, as an identity or unlinked, on weak evidence. */
    private static boolean weaklyHeldPhone(JsonNode customer) {
        for (String list : List.of("identities", "unlinkedIdentities")) {
            for (JsonNode i : customer.path(list)) {
                if (i.path("type").asText().equals("phone") && i.path("value").asText().equals(MaskedValue.of(E164))
                        && List.of("noted", "delivery").contains(i.path("evidence").asText())) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    @Order(3)
    void aSecondPersonWhoSharesOnlyTheBlockedTestPhoneStaysSeparate() {
        JsonNode first = api.customerByIdentity("phone", E164, null).orElseThrow();
        JsonNode second = await().atMost(Duration.ofSeconds(30))
                .until(() -> api.customerByIdentity("member_card", "VIP0002", "acme").orElse(null), c -> c != null);

        assertThat(second.path("id").asText()).isNotEqualTo(first.path("id").asText());
        assertThat(second.path("orders").path("count").asLong()).isEqualTo(1);
        assertThat(second.path("orders").path("totalMinorByCurrency").path("CNY").asLong()).isEqualTo(1990);
        assertThat(HubApi.hasIdentity(first, "member_card", "VIP0002")).isFalse();
        // The blocked number belongs to nobody: it never makes or joins a profile.
        assertThat(api.customerByIdentity("phone", "+86" + BLOCKED_PHONE, null)).isEmpty();
    }

    @Test
    @Order(4)
    void aBadCsvRowIsParkedWithItsFileAndRowWhileTheRestOfTheFileIsApplied() {
        String parked = await().atMost(Duration.ofSeconds(30)).until(() -> api.getJson("/api/v1/dlq").toString(),
                dlq -> dlq.contains("tickets-20261120.csv"));
        assertThat(parked).contains("normalize", "BadInputException", "row 4");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(POS_DROP.resolve("done").resolve("tickets-20261120.csv")));
        assertThat(POS_DROP.resolve("tickets-20261120.csv")).doesNotExist();
    }

    @Test
    @Order(5)
    void aShopApiThatIsDownOpensTheCircuitHoldsThePushesAndRecoversByItself() {
        List<String> orders = List.of("6930000000000000001", "6930000000000000002", "6930000000000000003");
        for (int i = 0; i < orders.size(); i++) {
            HttpResponse<String> pushed = pushDoudian("flaky-shop",
                    ChannelServers.doudianPaidPush("7100000000000000" + (101 + i), orders.get(i), 5000 + i, FLAKY_SHOP_ID));
            assertThat(pushed.statusCode()).as("a push is acknowledged once durable, whatever the API does").isEqualTo(200);
        }

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> instance("douyin", "flaky-shop").path("circuitBreaker").asText(), "OPEN"::equals);
        assertThat(api.customerByIdentity("doudian_openid", "1@#flaky-buyer-1", Long.toString(FLAKY_SHOP_ID))).isEmpty();
        assertThat(api.getJson("/api/v1/dlq").toString()).doesNotContain("flaky-shop");

        // The shop's API comes back.
        FLAKY_DOUDIAN_API.resetAll();
        ChannelServers.doudianToken(FLAKY_DOUDIAN_API, FLAKY_SHOP_ID, "flaky-token");
        for (int i = 0; i < orders.size(); i++) {
            ChannelServers.doudianOrder(FLAKY_DOUDIAN_API, "flaky-token", orders.get(i), 5000 + i,
                    "1@#flaky-buyer-" + (i + 1), "#flaky#cipher-" + (i + 1) + "#", "1371234000" + (i + 1));
        }

        for (int i = 0; i < orders.size(); i++) {
            String buyer = "1@#flaky-buyer-" + (i + 1);
            JsonNode customer = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                    .until(() -> api.customerByIdentity("doudian_openid", buyer, Long.toString(FLAKY_SHOP_ID)).orElse(null),
                            c -> c != null);
            assertThat(customer.path("orders").path("totalMinorByCurrency").path("CNY").asLong()).isEqualTo(5000 + i);
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> instance("douyin", "flaky-shop").path("circuitBreaker").asText(), "CLOSED"::equals);
        assertThat(api.getJson("/api/v1/dlq").toString()).doesNotContain("flaky-shop");
    }

    @Test
    @Order(6)
    void aShopOverItsQuotaBacksOffWithItsCircuitOpenAndRecoversByItself() {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> instance("tmall", "limited").path("circuitBreaker").asText(), "OPEN"::equals);
        // The poll timer ticks every second and the durable retry caps at 3 s, so without honouring the
        // ban the shop would be asked every 1-3 s; honouring it (poll back-off and an open circuit),
        // at most once per ban.
        int asked = LIMITED_TOP_API.findAll(postRequestedFor(urlPathEqualTo("/router/rest"))
                .withRequestBody(containing("method=taobao.trades.sold.increment.get"))).size();
        long upSeconds = Math.max(1, Duration.between(java.time.Instant.parse(
                instance("tmall", "limited").path("since").asText()), java.time.Instant.now()).toSeconds());
        assertThat(asked).as("sync calls to TOP in %d s", upSeconds).isLessThanOrEqualTo((int) (upSeconds / BAN_SECONDS) + 2);

        // The quota resets.
        LIMITED_TOP_API.resetAll();
        ChannelServers.topSeller(LIMITED_TOP_API, LIMITED_SESSION, "欧姆尼奥莱店");
        ChannelServers.topTrades(LIMITED_TOP_API, LIMITED_SESSION,
                ChannelServers.topTrade("3799999999999999901", "WAIT_SELLER_SEND_GOODS", "66.60", "AAHlimitedBuyer01", "欧姆尼奥莱店",
                        "13712349999"));

        JsonNode customer = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> api.customerByIdentity("tmall_ouid", "AAHlimitedBuyer01", "欧姆尼奥莱店").orElse(null), c -> c != null);
        assertThat(customer.path("orders").path("totalMinorByCurrency").path("CNY").asLong()).isEqualTo(6660);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> instance("tmall", "limited").path("circuitBreaker").asText(), "CLOSED"::equals);
        assertThat(instance("tmall", "limited").path("state").asText()).isEqualTo("RUNNING");
    }

    private JsonNode instance(String connector, String instance) {
        for (JsonNode c : api.getJson("/api/v1/connectors")) {
            if (connector.equals(c.path("id").asText())) {
                for (JsonNode i : c.path("instances")) {
                    if (instance.equals(i.path("instance").asText())) {
                        return i;
                    }
                }
            }
        }
        throw new IllegalStateException("no instance " + connector + "/" + instance + " in GET /api/v1/connectors");
    }

    @Test
    @Order(7)
    void anSmsUnsubscribeReplyReachesTheCustomerOnlyWithTheCallbackKey() {
        String reply = "[{\"phone_number\":\"" + PHONE + "\",\"content\":\"TD\",\"send_time\":\"2026-11-21 10:03:00\","
                + "\"dest_code\":\"1234\",\"sequence_id\":\"9120031\"}]";

        HttpResponse<String> guessed = post("/hooks/sms/aliyun?key=not-the-callback-key", reply);
        HttpResponse<String> keyed = post("/hooks/sms/aliyun?key=" + SMS_CALLBACK_KEY, reply);

        assertThat(guessed.statusCode()).isEqualTo(401);
        assertThat(keyed.statusCode()).isEqualTo(200);
        assertThat(keyed.body()).isEqualTo("{\"code\":0,\"msg\":\"接收成功\"}");
        JsonNode customer = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> api.customerByIdentity("phone", E164, null).orElseThrow(),
                        c -> c.path("timeline").toString().contains("sms:aliyun:up:9120031"));
        assertThat(customer.path("timeline")).filteredOn(e -> e.path("eventId").asText().equals("sms:aliyun:up:9120031"))
                .singleElement().satisfies(e -> assertThat(e.path("type").asText()).isEqualTo("consent.changed"));
        assertThat(api.getJson("/api/v1/dlq").toString()).as("the refused callback is kept nowhere").doesNotContain("9120031");
    }

    private HttpResponse<String> post(String path, String json) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
                .build();
        try {
            return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> pushDoudian(String instance, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/hooks/douyin/" + instance))
                .header("Content-Type", "application/json")
                .header("app-id", ChannelServers.DOUDIAN_APP_KEY)
                .header("event-sign", ChannelServers.doudianEventSign(bytes))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .build();
        try {
            return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Writes the file beside the folder and moves it in, as a till's upload job does. */
    private static void dropCsv(String name, String content) throws IOException {
        Path partial = POS_DROP.resolveSibling(POS_DROP.getFileName() + "-" + name + ".part");
        Files.writeString(partial, content, StandardCharsets.UTF_8);
        Files.move(partial, POS_DROP.resolve(name), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static WireMockServer server() {
        WireMockServer server = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        server.start();
        return server;
    }

}
