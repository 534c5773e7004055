package io.omnihub.hub.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omnihub.hub.HubApplication;
import io.omnihub.hub.PluginJars;
import io.omnihub.testsupport.TestClock;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Windowed traits and order lines end to end on real parts: page views arrive over
 * {@code POST /api/v1/events}, POS tickets as CSV drops read by the real POS plugin JAR; the pipeline
 * applies them through embedded Artemis and PostgreSQL with the definitions of a real definitions
 * folder, on a clock the test moves day by day.
 */
@SpringBootTest(classes = HubApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TraitsEndToEndTest.MovableTime.class)
class TraitsEndToEndTest {

    static final String PASSWORD = "traits-admin";
    static final String APP_ID = "wx00000000traits0";
    static final String SHOP = "/connectors/shop/web";
    static final TestClock CLOCK = TestClock.at(Instant.parse("2026-03-02T02:00:00Z"));
    static final AtomicInteger SEQ = new AtomicInteger();
    static final Path DATA_DIR;
    static final Path DEFINITIONS;
    static final Path POS_DROP;

    static final String DEFINITIONS_YAML = """
            traits:
              - id: runningShoeViews7d
                description: views of running-shoe pages in the last 7 days
                count: page.viewed
                where: "event.extra.category == 'running-shoes'"
                window: 7d
            rules:
              - id: running-shoe-fan
                on: page.viewed
                when: "customer.traits.runningShoeViews7d >= 3"
                then:
                  - tag: running-shoe-fan
              - id: running-shoe-buyer
                on: store.purchased
                when: "event.order.lines.exists(l, l.category == '跑鞋')"
                then:
                  - tag: running-shoe-buyer
            """;

    static {
        try {
            DATA_DIR = Files.createTempDirectory("omnihub-traits-e2e");
            DEFINITIONS = Files.createTempDirectory("omnihub-traits-definitions");
            Files.writeString(DEFINITIONS.resolve("traits.yaml"), DEFINITIONS_YAML);
            POS_DROP = Files.createTempDirectory("omnihub-traits-pos");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void hub(DynamicPropertyRegistry registry) {
        registry.add("hub.data-dir", DATA_DIR::toString);
        registry.add("hub.plugins.dir", () -> PluginJars.folderWith("pos").toString());
        registry.add("hub.security.admin-password", () -> PASSWORD);
        registry.add("hub.automation.dir", DEFINITIONS::toString);
        registry.add("hub.automation.scan-interval", () -> "500ms");
        registry.add("hub.automation.trait-interval", () -> "500ms");
        String pos = "hub.connectors.pos.stores.";
        registry.add(pos + "source", () -> "csv-folder");
        registry.add(pos + "folder", POS_DROP::toString);
        registry.add(pos + "brand", () -> "acme");
        registry.add(pos + "settle-seconds", () -> "0");
        registry.add(pos + "poll-interval", () -> "1s");
    }

    /** Imported by this test only (not annotated, so no scan in another context picks it up). */
    static class MovableTime {
        @Bean
        @Primary
        Clock testClock() {
            return CLOCK;
        }
    }

    @LocalServerPort
    int port;

    AutomationApi api;

    @BeforeEach
    void client() {
        api = new AutomationApi("http://localhost:" + port, "admin", PASSWORD);
        await().atMost(Duration.ofSeconds(60)).until(() -> api.get("/api/v1/automation").path("traits").asInt() == 1);
    }

    @Test
    void threeRunningShoePageViewsWithinSevenDaysTagTheCustomerTwoViewsOrViewsSpreadOverTenDaysDoNot() {
        // day 0: everyone views running shoes once; the fan and the pair also look at hiking boots
        view("o-fan", "running-shoes");
        view("o-fan", "hiking-boots");
        view("o-pair", "running-shoes");
        view("o-spread", "running-shoes");
        CLOCK.advance(Duration.ofDays(3));
        view("o-fan", "running-shoes");
        view("o-pair", "running-shoes");
        CLOCK.advance(Duration.ofDays(2));
        view("o-spread", "running-shoes");
        CLOCK.advance(Duration.ofDays(1).plusHours(20));
        view("o-fan", "running-shoes"); // 6 days 20 hours after the first
        CLOCK.advance(Duration.ofDays(3).plusHours(4));
        view("o-spread", "running-shoes"); // 10 days after the first, 5 after the second

        assertThat(tags("o-fan")).contains("running-shoe-fan");
        assertThat(tags("o-pair")).doesNotContain("running-shoe-fan");
        assertThat(tags("o-spread")).doesNotContain("running-shoe-fan");
    }

    @Test
    void aPosTicketsLinesAreStoredWithTheOrderAndAConditionOnALinesCategoryFires() throws IOException {
        // The POS plugin reads a file once it has settled by the hub's clock, which the other test
        // moves; the clock then stands still an hour ahead while both drops are read, as polls are
        // paced in elapsed time.
        Instant settled = Instant.now().plus(Duration.ofHours(1));
        if (CLOCK.instant().isBefore(settled)) {
            CLOCK.moveTo(settled);
        }
        dropCsv("tickets-traits-1.csv", """
                小票号,门店,时间,手机号,会员卡号,金额,商品编码,商品名称,品类,数量,单价
                R-0001,静安店,2026-03-01 15:00:00,13912340001,,618.00,RS-42,缓震跑鞋 42码,跑鞋,2,299.00
                R-0001,静安店,,,,,SK-3,速干运动袜,袜子,1,20.00
                """);

        JsonNode runner = await().atMost(Duration.ofSeconds(60)).until(() -> customerByPhone("+8613912340001"),
                c -> c != null && c.path("tags").toString().contains("running-shoe-buyer"));
        JsonNode orders = api.get("/api/v1/customers/" + runner.path("id").asText() + "/orders");
        assertThat(orders).hasSize(1);
        assertThat(orders.get(0).path("orderId").asText()).isEqualTo("静安店:R-0001");
        assertThat(orders.get(0).path("totalMinor").asLong()).isEqualTo(61_800);
        JsonNode lines = orders.get(0).path("lines");
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).path("sku").asText()).isEqualTo("RS-42");
        assertThat(lines.get(0).path("category").asText()).isEqualTo("跑鞋");
        assertThat(lines.get(0).path("quantity").asLong()).isEqualTo(2);
        assertThat(lines.get(0).path("unitPriceMinor").asLong()).isEqualTo(29_900);
        assertThat(lines.get(1).path("category").asText()).isEqualTo("袜子");

        dropCsv("tickets-traits-2.csv", """
                小票号,门店,时间,手机号,会员卡号,金额,商品编码,商品名称,品类,数量,单价
                R-0002,静安店,2026-03-01 15:10:00,13912340002,,59.90,SK-3,速干运动袜,袜子,3,19.90
                """);
        JsonNode socks = await().atMost(Duration.ofSeconds(60)).until(() -> customerByPhone("+8613912340002"), c -> c != null
                && api.get("/api/v1/customers/" + c.path("id").asText() + "/orders").toString().contains("R-0002"));
        assertThat(socks.path("tags").toString()).doesNotContain("running-shoe-buyer");
    }

    private void view(String openid, String category) {
        String id = "shop:view:" + SEQ.incrementAndGet();
        ObjectNode event = AutomationApi.openid(AutomationApi.event(id, "page.viewed", SHOP, CLOCK.instant()), openid, APP_ID);
        AutomationApi.data(event).putObject("extra").put("category", category).put("url", "/p/" + category);
        assertThat(api.postEvents(event).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> api.applied(openid, APP_ID, id));
    }

    private String tags(String openid) {
        return api.customerByOpenid(openid, APP_ID).orElseThrow().path("tags").toString();
    }

    private JsonNode customerByPhone(String phone) {
        try {
            return api.get("/api/v1/customers?identity=" + URLEncoder.encode("phone:" + phone, StandardCharsets.UTF_8));
        } catch (IllegalStateException notYet) {
            return null;
        }
    }

    /** Writes the file beside the folder and moves it in, as a till's upload job does. */
    private static void dropCsv(String name, String content) throws IOException {
        Path partial = POS_DROP.resolveSibling(POS_DROP.getFileName() + "-" + name + ".part");
        Files.writeString(partial, content, StandardCharsets.UTF_8);
        Files.move(partial, POS_DROP.resolve(name), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
