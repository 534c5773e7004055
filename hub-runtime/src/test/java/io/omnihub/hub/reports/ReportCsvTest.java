package io.omnihub.hub.reports;

import static org.assertj.core.api.Assertions.assertThat;

import io.omnihub.crm.reports.AttributionReport;
import io.omnihub.crm.reports.KpiReport;
import io.omnihub.crm.reports.ReportPeriod;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportCsvTest {

    static final ReportPeriod MARCH = new ReportPeriod(Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-04-01T00:00:00Z"));

    @Test
    void aChannelNamedLikeASpreadsheetFormulaIsWrittenAsTextAndCommasAreQuoted() {
        KpiReport k = new KpiReport(MARCH, 0, 1, 1, 1, 0, null, 1, 1, 0, new BigDecimal("0.0000"), 0, new BigDecimal("0.0000"), 1,
                new BigDecimal("0.0000"), List.of(), List.of(new KpiReport.ChannelRevenue("=HYPERLINK(\"x\",\"y\")", "CNY", 1, 100, 1)));

        String csv = ReportCsv.kpis(k);

        assertThat(csv).startsWith("figure,channel,currency,value,formula\r\nfrom,,,2026-03-01T00:00:00Z,\r\n")
                .contains("\r\nchannelRevenueMinor,\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\",CNY,100,")
                .contains("\r\nretention,,,,\"(active customers − new customers) / customers at start:")
                .doesNotContain("\r\nchannelOrders,=");
    }

    @Test
    void markovCreditsCarryTheirChannelsRemovalEffectAndShare() {
        AttributionReport a = new AttributionReport(MARCH, AttributionReport.Model.MARKOV, null,
                List.of(new AttributionReport.Total("CNY", 2, 500)), List.of(new AttributionReport.Total("CNY", 1, 300)),
                List.of(new AttributionReport.Credit(null, "sms", "CNY", new BigDecimal("1.0000"), new BigDecimal("300.00"))), 1, 1,
                new BigDecimal("1.000000"), List.of(new AttributionReport.Effect("sms", new BigDecimal("1.000000"), new BigDecimal("1.000000"))));

        assertThat(ReportCsv.attribution(a).split("\r\n")).containsExactly(
                "model,from,to,journey,channel,currency,orders,revenueMinor,removalEffect,share",
                "markov,2026-03-01T00:00:00Z,2026-04-01T00:00:00Z,,sms,CNY,1.0000,300.00,1.000000,1.000000",
                "markov,2026-03-01T00:00:00Z,2026-04-01T00:00:00Z,(all attributed),,CNY,1,300,,",
                "markov,2026-03-01T00:00:00Z,2026-04-01T00:00:00Z,(all orders),,CNY,2,500,,");
    }
}
