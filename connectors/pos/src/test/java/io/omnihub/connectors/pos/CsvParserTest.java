package io.omnihub.connectors.pos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvParserTest {

    private static final Charset GBK = Charset.forName("GBK");

    private static List<CsvParser.Record> parse(byte[] bytes, Charset charset) throws IOException {
        return parse(bytes, 0, 0, charset);
    }

    private static List<CsvParser.Record> parse(byte[] bytes, long offset, int rowsBefore, Charset charset) throws IOException {
        CsvParser parser = new CsvParser(new ByteArrayInputStream(bytes, (int) offset, bytes.length - (int) offset),
                offset, rowsBefore, charset);
        List<CsvParser.Record> records = new ArrayList<>();
        CsvParser.Record record;
        while ((record = parser.next()) != null) {
            records.add(record);
        }
        return records;
    }

    private static List<CsvParser.Record> parse(String text) throws IOException {
        return parse(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }

    @Test
    void quotedFieldsHoldCommasDoubledQuotesAndLineBreaks() throws IOException {
        List<CsvParser.Record> records = parse(PosFixtures.resource("csv/sales-utf8.csv"), StandardCharsets.UTF_8);

        assertThat(records).extracting(CsvParser.Record::row).containsExactly(1, 2, 3, 4, 5);
        assertThat(records.get(0).cells()).containsExactly("小票号", "门店", "时间", "手机号", "会员卡号", "金额",
                "商品编码", "商品名称", "数量", "单价");
        assertThat(records.get(1).cells().get(7)).isEqualTo("有机纯牛奶 250ml×12,全脂");
        assertThat(records.get(2).cells().get(7)).isEqualTo("矿泉水 \"550ml\"");
        assertThat(records.get(3).cells().get(7)).isEqualTo("礼盒装\r\n中秋月饼");
        assertThat(records).allSatisfy(r -> {
            assertThat(r.cells()).hasSize(10);
            assertThat(r.problem()).isNull();
        });
    }

    @Test
    void everyLineEndingEndsARecordAndTheLastNeedsNone() throws IOException {
        List<CsvParser.Record> records = parse("a,b\r\nc,d\ne,f\rg,h");

        assertThat(records).extracting(CsvParser.Record::cells)
                .containsExactly(List.of("a", "b"), List.of("c", "d"), List.of("e", "f"), List.of("g", "h"));
    }

    @Test
    void emptyFieldsAndBlankLinesKeepTheirPlaces() throws IOException {
        List<CsvParser.Record> records = parse("a,,\"\"\n\n,x\n");

        assertThat(records.get(0).cells()).containsExactly("a", "", "");
        assertThat(records.get(1).isBlank()).isTrue();
        assertThat(records.get(1).row()).isEqualTo(2);
        assertThat(records.get(2).cells()).containsExactly("", "x");
    }

    @Test
    void offsetsLetAReaderResumeAtARecordBoundary() throws IOException {
        byte[] bytes = PosFixtures.resource("csv/sales-utf8.csv");
        List<CsvParser.Record> all = parse(bytes, StandardCharsets.UTF_8);

        CsvParser.Record third = all.get(2);
        List<CsvParser.Record> resumed = parse(bytes, third.endOffset(), third.row(), StandardCharsets.UTF_8);

        assertThat(resumed).isEqualTo(all.subList(3, all.size()));
        assertThat(all.get(all.size() - 1).endOffset()).isEqualTo(bytes.length);
        assertThat(all.get(1).startOffset()).isEqualTo(all.get(0).endOffset());
    }

    @Test
    void gbkFieldsDecodeWhateverTheirSecondBytes() throws IOException {
        // 億 is 0x83 0x7C in GBK and 乗 0x81 0x5C: second bytes in the ASCII range, never a comma,
        // quote or line end, so splitting on bytes before decoding stays exact.
        byte[] bytes = "门店,备注\r\n静安店,\"億元,乗\"\r\n".getBytes(GBK);

        List<CsvParser.Record> records = parse(bytes, GBK);

        assertThat(records.get(1).cells()).containsExactly("静安店", "億元,乗");
        assertThat(parse("门店,备注\n徐汇店,𠮷野家\n".getBytes(Charset.forName("GB18030")), Charset.forName("GB18030"))
                .get(1).cells()).containsExactly("徐汇店", "𠮷野家");
    }

    @Test
    void bytesInvalidInTheEncodingNameTheirRow() {
        byte[] gbk = "门店\n静安店\n".getBytes(GBK);

        assertThatThrownBy(() -> parse(gbk, StandardCharsets.UTF_8))
                .isInstanceOfSatisfying(CsvParser.UndecodableException.class, e -> assertThat(e.row()).isEqualTo(1));
    }

    @Test
    void brokenQuotingIsReportedOnTheRecordNotThrown() throws IOException {
        List<CsvParser.Record> records = parse("a,\"b\"x,c\nd,e\n\"never closed,f\ng,h\n");

        assertThat(records.get(0).problem()).isEqualTo("text after the closing quote of field 2");
        assertThat(records.get(1).problem()).isNull();
        assertThat(records.get(2).problem()).isEqualTo("a quoted field is not closed before the end of the file");
        assertThat(records.get(2).cells()).containsExactly("never closed,f\ng,h\n");
        assertThat(records).hasSize(3);
    }

    @Test
    void aQuoteInsideAnUnquotedFieldIsTakenAsItStands() throws IOException {
        assertThat(parse("12\" pizza,1\n").get(0).cells()).containsExactly("12\" pizza", "1");
    }

    @Test
    void anOverlongRecordIsCutShortAndReported() throws IOException {
        String huge = "\"" + "x".repeat(CsvParser.MAX_RECORD_BYTES + 10);

        CsvParser.Record record = parse(huge).get(0);

        assertThat(record.problem()).contains("longer than 1 MiB");
        assertThat(record.cells().get(0)).hasSize(CsvParser.MAX_RECORD_BYTES);
    }
}
