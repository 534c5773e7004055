package io.omnihub.connectors.pos;

import static io.omnihub.connectors.pos.PosFixtures.NOW;
import static io.omnihub.connectors.pos.PosFixtures.csvConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omnihub.connector.ConnectorInstance;
import io.omnihub.connector.errors.BadInputException;
import io.omnihub.connector.event.Coupon;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.EventTypes;
import io.omnihub.connector.event.Evidence;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.IdentityTypes;
import io.omnihub.connector.event.Order;
import io.omnihub.connector.source.RawRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTicketNormalizerTest {

    private static final String HEADER = "小票号,门店,时间,手机号,会员卡号,金额,商品编码,商品名称,数量,单价\n";

    @TempDir
    Path folder;

    private ConnectorInstance instance;

    /** The records the real poller makes of {@code csv}, read with {@code settings}. */
    private List<RawRecord> records(String csv, Map<String, String> settings) {
        Map<String, String> config = csvConfig(folder);
        config.putAll(settings);
        instance = new PosConnector().open(PosFixtures.context(config));
        try {
            Path file = folder.resolve("export.csv");
            Files.writeString(file, csv, StandardCharsets.UTF_8);
            Files.setLastModifiedTime(file, FileTime.from(NOW.minus(Duration.ofHours(1))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return instance.poller().orElseThrow().poll(Optional.empty()).records();
    }

    private List<CustomerEvent> events(String csv, Map<String, String> settings) {
        List<CustomerEvent> events = records(csv, settings).stream()
                .flatMap(r -> instance.normalizer().normalize(r).stream()).toList();
        PosFixtures.assertValid(events);
        return events;
    }

    private CustomerEvent event(String csv) {
        return events(csv, Map.of()).get(0);
    }

    private void assertBadRow(String csv, String... messageParts) {
        assertBadRow(csv, Map.of(), messageParts);
    }

    private void assertBadRow(String csv, Map<String, String> settings, String... messageParts) {
        RawRecord record = records(csv, settings).get(0);
        assertThatThrownBy(() -> instance.normalizer().normalize(record))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("export.csv row ")
                .hasMessageContainingAll(messageParts);
    }

    @Test
    void aRowIsAStorePurchaseWithPhoneCardAndChineseLine() {
        List<CustomerEvent> events = records(new String(PosFixtures.resource("csv/sales-utf8.csv"), StandardCharsets.UTF_8),
                Map.of()).stream().flatMap(r -> instance.normalizer().normalize(r).stream()).toList();

        CustomerEvent event = events.get(0);
        assertThat(event.id()).isEqualTo("pos:acme:静安店:T20250520-0001");
        assertThat(event.type()).isEqualTo(EventTypes.STORE_PURCHASED);
        assertThat(event.time()).isEqualTo(OffsetDateTime.parse("2025-05-20T09:30:15+08:00"));
        assertThat(event.data().identities()).containsExactly(Identity.phone("13912345678").withEvidence(Evidence.NOTED),
                Identity.of(IdentityTypes.MEMBER_CARD, "VIP0001", "acme").withEvidence(Evidence.VERIFIED));
        Order order = event.data().order();
        assertThat(order.id()).isEqualTo("静安店:T20250520-0001");
        assertThat(order.currency()).isEqualTo("CNY");
        assertThat(order.totalMinor()).isEqualTo(12850);
        assertThat(order.status()).isNull();
        assertThat(order.lines()).containsExactly(new Order.OrderLine("6901234567892", "有机纯牛奶 250ml×12,全脂", 2, 6425));
        assertThat(event.data().extra()).containsEntry("storeId", "静安店").containsEntry("ticketSn", "T20250520-0001")
                .containsEntry("file", "export.csv").containsEntry("row", 2);
        assertThat(events.get(1).data().identities()).containsExactly(Identity.of(IdentityTypes.MEMBER_CARD, "VIP0002", "acme").withEvidence(Evidence.VERIFIED));
        assertThat(events.get(2).data().order().lines().get(0).name()).isEqualTo("礼盒装\r\n中秋月饼");
        assertThat(events).hasSize(3);
    }

    @Test
    void aTicketWithACouponCodeRedeemsItAtItsStoreAndLinesKeepTheirCategory() {
        List<CustomerEvent> events = events(new String(PosFixtures.resource("csv/sales-coupons.csv"), StandardCharsets.UTF_8),
                Map.of());

        CustomerEvent purchase = events.get(0);
        CustomerEvent redeemed = events.get(1);
        Coupon coupon = new Coupon("CPN-8817", "spring-20", null, 2000L, "CNY", "静安店", "静安店:C-0001");
        assertThat(events).extracting(CustomerEvent::type).containsExactly(EventTypes.STORE_PURCHASED,
                EventTypes.COUPON_REDEEMED, EventTypes.STORE_PURCHASED);
        assertThat(purchase.data().order().lines()).containsExactly(
                new Order.OrderLine("RS-42", "缓震跑鞋 42码", 1, 29900, "跑鞋"),
                new Order.OrderLine("SK-3", "速干运动袜", 1, 0, "袜子"));
        assertThat(purchase.data().coupon()).isEqualTo(coupon);
        assertThat(redeemed.id()).isEqualTo("pos:acme:静安店:C-0001:coupon:CPN-8817");
        assertThat(redeemed.data().coupon()).isEqualTo(coupon);
        assertThat(redeemed.data().identities()).isEqualTo(purchase.data().identities());
        assertThat(redeemed.time()).isEqualTo(purchase.time());
        assertThat(events.get(2).data().coupon()).as("no coupon column value, no coupon").isNull();
    }

    @Test
    void englishHeadersAndSpreadsheetProtectedNumbers() {
        CustomerEvent event = event(new String(PosFixtures.resource("csv/sales-english.csv"), StandardCharsets.UTF_8));

        assertThat(event.id()).isEqualTo("pos:acme:S001:E-0001");
        assertThat(event.data().identities()).containsExactly(Identity.phone("13912345678").withEvidence(Evidence.NOTED),
                Identity.of(IdentityTypes.MEMBER_CARD, "00012345", "acme").withEvidence(Evidence.VERIFIED));
        assertThat(event.data().order().totalMinor()).isEqualTo(19900);
        assertThat(event.data().order().lines()).isEmpty();
    }

    @Test
    void configuredColumnsTimeFormatZoneAndFallbackStore() {
        String csv = "单号,下单时间,会员手机,实收(元)\n"
                + "9001,2025/5/20 9:05,139 1234 5678,\"¥1,280.00\"\n";

        CustomerEvent event = events(csv, Map.of("columns.ticket-sn", "小票号|单号", "columns.time", "下单时间",
                "columns.member-phone", "会员手机", "columns.total", "实收(元)", "time-format", "yyyy/M/d H:mm",
                "time-zone", "Asia/Tokyo", "store-id", "S-东京")).get(0);

        assertThat(event.id()).isEqualTo("pos:acme:S-东京:9001");
        assertThat(event.time()).isEqualTo(OffsetDateTime.parse("2025-05-20T09:05:00+09:00"));
        assertThat(event.data().order().totalMinor()).isEqualTo(128000);
        assertThat(event.data().identities()).containsExactly(Identity.phone("13912345678").withEvidence(Evidence.NOTED));
    }

    @Test
    void aOneRowTicketWithoutUnitPriceIsOneLineAtTheTotal() {
        CustomerEvent event = event(HEADER + "P-1,静安店,2025-05-20 09:00:00,13912345678,,25.50,6900000000001,咖啡豆,3,\n");

        assertThat(event.data().order().lines()).containsExactly(new Order.OrderLine("6900000000001", "咖啡豆", 3, 850));
    }

    @Test
    void aReturnRowHasNegativeMoneyAndAPositiveQuantity() {
        CustomerEvent event = event(HEADER + "P-2,静安店,2025-05-20 09:00:00,13912345678,,-19.80,6901234567894,酸奶,-2,9.90\n");

        assertThat(event.data().order().totalMinor()).isEqualTo(-1980);
        assertThat(event.data().order().lines()).containsExactly(new Order.OrderLine("6901234567894", "酸奶", 2, -990));
    }

    @Test
    void anAnonymousSaleGivesNoEvent() {
        assertThat(events(HEADER + "P-3,静安店,2025-05-20 09:00:00,,,12.00,,,,\n", Map.of())).isEmpty();
    }

    @Test
    void badCellsAreBadInputNamingFileRowAndColumn() {
        assertBadRow(HEADER + "P-4,静安店,2025-05-20,13912345678,,1.00,,,,\n", "row 2", "时间 does not match time-format 'yyyy-MM-dd HH:mm:ss'");
        assertBadRow(HEADER + "P-5,静安店,2025-05-20 09:00:00,1391234567x,,1.00,,,,\n", "row 2", "手机号 '139******7x' is not a phone number");
        assertBadRow(HEADER + "P-6,静安店,2025-05-20 09:00:00,13912345678,,,,,,\n", "row 2", "金额 is empty");
        assertBadRow(HEADER + ",静安店,2025-05-20 09:00:00,13912345678,,1.00,,,,\n", "row 2", "小票号 is empty");
        assertBadRow(HEADER + "P-7,静安店,2025-05-20 09:00:00,13912345678,,1.00\n", "row 2", "has 6 fields but the header has 10");
        assertBadRow(HEADER + "P-8,静安店,2025-05-20 09:00:00,13912345678,,1.00,,咖啡,两个,1.00\n", "row 2", "数量 is not a number a till would write");
        assertBadRow(HEADER + "P-9,静安店,2025-05-20 09:00:00,13912345678,,\"1.00\"x,,,,\n", "row 2", "not valid CSV: text after the closing quote");
        assertBadRow(HEADER + "P-10,,2025-05-20 09:00:00,13912345678,,1.00,,,,\n", "row 2", "门店 is empty and no store-id is configured");
    }

    @Test
    void laterRowsOfATicketMustNotContradictTheFirst() {
        assertBadRow(HEADER
                + "P-11,静安店,2025-05-20 09:00:00,13912345678,,30.00,A1,咖啡,1,10.00\n"
                + "P-11,静安店,,13800138000,,,A2,茶,1,20.00\n", "row 3 disagrees with row 2 of ticket P-11 on 手机号");
    }

    @Test
    void theSameRecordGivesTheSameIdOnAnotherInstance() {
        RawRecord record = records(HEADER + "P-12,静安店,2025-05-20 09:00:00,13912345678,,1.00,,,,\n", Map.of()).get(0);
        ConnectorInstance other = new PosConnector().open(PosFixtures.context(csvConfig(folder)));

        assertThat(other.normalizer().normalize(record).get(0).id())
                .isEqualTo(instance.normalizer().normalize(record).get(0).id())
                .isEqualTo("pos:acme:静安店:P-12");
    }

    @Test
    void maskingKeepsOnlyTheEnds() {
        assertThat(CsvTicketNormalizer.mask("13912345678")).isEqualTo("139******78");
        assertThat(CsvTicketNormalizer.mask("123")).isEqualTo("****");
        assertThat(CsvTicketNormalizer.clean(" =\"0012\" ")).isEqualTo("0012");
        assertThat(CsvTicketNormalizer.clean("\t0012")).isEqualTo("0012");
    }
}
