package io.omnihub.connectors.wechat.bench;

import io.omnihub.connectors.wechat.SafeXml;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;

/**
 * WeChat messages parsed per second by {@link SafeXml#parse}, one thread: what the webhook handler
 * (on the request thread) and the normalizer each do once per push. Three bodies as WeChat sends
 * them: a text message in Chinese, a safe-mode envelope ({@code <Encrypt>} with a 1 KB ciphertext),
 * and a {@code scancode_push} event whose {@code ScanCodeInfo} nests elements.
 * It uses only the parser's public API, so {@code connectors/wechat/bench/xml.sh BASE} runs the same
 * file on another commit for a before/after pair.
 *
 * <p>Arguments: {@code [parses] [warm-up parses]}, defaults 1,000,000 and 500,000.
 */
public final class XmlParseBenchmark {

    private static final String TEXT = "<xml><ToUserName><![CDATA[gh_3f5a2b1c9d0e]]></ToUserName>"
            + "<FromUserName><![CDATA[o6_bmjrPTlm6_2sgVt7hMZOPfL2M]]></FromUserName>"
            + "<CreateTime>1731254400</CreateTime><MsgType><![CDATA[text]]></MsgType>"
            + "<Content><![CDATA[你好，我想了解会员卡，双11有什么活动？]]></Content>"
            + "<MsgId>24602321154384734</MsgId><MsgDataId><![CDATA[]]></MsgDataId><Idx><![CDATA[]]></Idx></xml>";

    private static final String ENVELOPE = "<xml><ToUserName><![CDATA[gh_3f5a2b1c9d0e]]></ToUserName><Encrypt><![CDATA["
            + "x".repeat(1024) + "]]></Encrypt></xml>";

    private static final String SCAN = "<xml><ToUserName><![CDATA[gh_3f5a2b1c9d0e]]></ToUserName>"
            + "<FromUserName><![CDATA[o6_bmjrPTlm6_2sgVt7hMZOPfL2M]]></FromUserName>"
            + "<CreateTime>1731254400</CreateTime><MsgType><![CDATA[event]]></MsgType>"
            + "<Event><![CDATA[scancode_push]]></Event><EventKey><![CDATA[rselfmenu_0_1]]></EventKey>"
            + "<ScanCodeInfo><ScanType><![CDATA[qrcode]]></ScanType><ScanResult><![CDATA[https://brand.example/m/42]]></ScanResult>"
            + "</ScanCodeInfo></xml>";

    /** Per second of the thread's CPU time too: on a machine shared with other work, the steadier figure. */
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) {
        int parses = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 500_000;
        String[][] bodies = {{"text message", TEXT}, {"safe-mode envelope", ENVELOPE}, {"scancode_push (nested)", SCAN}};
        long fields = 0;
        for (int round = 0; round < 2; round++) {
            for (String[] body : bodies) {
                byte[] xml = body[1].getBytes(StandardCharsets.UTF_8);
                int n = round == 0 ? warmup / bodies.length : parses;
                long wallStart = System.nanoTime();
                long cpuStart = THREADS.getCurrentThreadCpuTime();
                for (int i = 0; i < n; i++) {
                    fields += SafeXml.parse(xml).fields().size();
                }
                double wall = (System.nanoTime() - wallStart) / 1e9;
                double cpu = (THREADS.getCurrentThreadCpuTime() - cpuStart) / 1e9;
                if (round == 1) {
                    System.out.printf("xml: %-24s %,10.0f parses/s, %,10.0f per CPU second (%,d parses in %.2f s, one thread)%n",
                            body[0], n / wall, n / cpu, n, wall);
                }
            }
        }
        System.out.println("xml: (" + fields + " fields read, so nothing is optimised away)");
    }
}
