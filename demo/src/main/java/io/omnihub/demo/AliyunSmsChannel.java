package io.omnihub.demo;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Request;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Aliyun SMS (Dysmsapi, as connectors/sms/README.md describes it) under {@code /aliyun-sms}: {@code SendSms}
 * and {@code QuerySmsSignList} answered as the connector's tests record them, and the HTTP batch
 * pushes Aliyun makes to the hub's callback URL: a delivery receipt (SmsReport) a moment after each
 * message it took, and the customers' replies (SmsUp).
 */
final class AliyunSmsChannel implements AutoCloseable {

    private static final DateTimeFormatter BEIJING_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    /** How long after taking a message the handset's receipt comes back. */
    private static final long RECEIPT_AFTER_MILLIS = 1_500;

    private final BrandAccounts accounts;
    private final Cast cast;
    private final AtomicLong bizIds = new AtomicLong(900_619_746_936_500_000L);
    private final AtomicLong sequenceIds = new AtomicLong(System.currentTimeMillis() / 1000 * 1000);
    private final ScheduledExecutorService receipts = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "aliyun-sms-receipts");
        thread.setDaemon(true);
        return thread;
    });
    private volatile HubClient hub;

    AliyunSmsChannel(BrandAccounts accounts, Cast cast) {
        this.accounts = accounts;
        this.cast = cast;
    }

    void install(WireMockServer server, Answers answers) {
        server.stubFor(post(urlPathEqualTo("/aliyun-sms/")).withRequestBody(containing("Action=QuerySmsSignList"))
                .willReturn(Answers.json(signList())));
        answers.register("aliyun-send-sms", this::send);
        server.stubFor(post(urlPathEqualTo("/aliyun-sms/")).withRequestBody(containing("Action=SendSms"))
                .willReturn(Answers.by("aliyun-send-sms")));
    }

    /** Receipts and replies go to this hub from now on. */
    void reportTo(HubClient hub) {
        this.hub = hub;
    }

    private String signList() {
        ObjectNode list = Recorded.json("sms/api/aliyun-sign-list.json");
        ((ObjectNode) list.path("SmsSignList").get(0)).put("SignName", BrandAccounts.SMS_SIGN_NAME);
        return list.toString();
    }

    /** SendSms: the message is taken (a fresh BizId), and its receipt pushed a moment later. */
    private ResponseDefinitionBuilder send(Request request) {
        Map<String, String> form = form(request.getBodyAsString());
        String phone = form.getOrDefault("PhoneNumbers", "");
        String bizId = bizIds.incrementAndGet() + "^0";
        String to = cast.byPhone(phone).map(Person::name).orElse("an unknown number");
        Log.line("  → Aliyun SMS delivers '" + form.get("TemplateCode") + "' 【" + form.get("SignName") + "】 to " + to);
        ObjectNode answer = Recorded.json("sms/api/aliyun-send-sms-ok.json");
        answer.put("BizId", bizId);
        LocalDateTime sentAt = LocalDateTime.now(SHANGHAI).withNano(0);
        receipts.schedule(() -> receipt(phone, bizId, form.getOrDefault("OutId", ""), sentAt),
                RECEIPT_AFTER_MILLIS, TimeUnit.MILLISECONDS);
        return Answers.json(answer.toString());
    }

    /** SmsReport: the handset received the message. */
    private void receipt(String phone, String bizId, String outId, LocalDateTime sentAt) {
        HubClient to = hub;
        if (to == null) {
            Log.line("  (no hub to report the SMS receipt " + bizId + " to)");
            return;
        }
        ArrayNode batch = (ArrayNode) Recorded.parse(Recorded.text("sms/aliyun-report.json"));
        ObjectNode report = (ObjectNode) batch.get(0);
        report.put("phone_number", phone);
        report.put("send_time", BEIJING_TIME.format(sentAt));
        report.put("report_time", BEIJING_TIME.format(LocalDateTime.now(SHANGHAI)));
        report.put("biz_id", bizId);
        report.put("out_id", outId);
        batch.removeAll();
        batch.add(report);
        push(to, batch);
    }

    /** SmsUp: the person answers the brand's SMS with {@code text}. */
    void reply(HubClient hub, Person person, String text) {
        ArrayNode batch = (ArrayNode) Recorded.parse(Recorded.text("sms/aliyun-up-unsubscribe.json"));
        ObjectNode up = (ObjectNode) batch.get(0);
        up.put("phone_number", person.phone());
        up.put("content", text);
        up.put("send_time", BEIJING_TIME.format(LocalDateTime.now(SHANGHAI)));
        up.put("sequence_id", Long.toString(sequenceIds.incrementAndGet()));
        push(hub, batch);
    }

    private void push(HubClient hub, ArrayNode batch) {
        hub.push("sms", "brand-sms", "?key=" + accounts.smsCallbackKey, Map.of("Content-Type", "application/json"),
                batch.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, String> form(String body) {
        Map<String, String> params = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    @Override
    public void close() {
        receipts.shutdownNow();
    }
}
