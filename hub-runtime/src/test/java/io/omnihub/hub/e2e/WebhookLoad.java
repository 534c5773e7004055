package io.omnihub.hub.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import me.chanjar.weixin.common.util.crypto.SHA1;

/**
 * Steady webhook traffic for fault tests: a few senders, each posting a signed WeChat text message
 * (a new MsgId each time) at a fixed pace, as WeChat would, recording what every request was answered
 * and how long it took.
 */
final class WebhookLoad implements AutoCloseable {

    /**
     * What one request was answered: an HTTP status, {@link #UNREACHABLE} or {@link #NO_ANSWER}, and
     * for a status other than 200 the answer's text, so a failing test can say what the hub said.
     */
    record Sent(long msgId, long startedAtMillis, long tookMillis, int status, String answer) {
    }

    /** An HTTP status and the answer's text (empty for 200, for no answer and for none at all). */
    private record Answer(int status, String text) {
    }

    /** The connection was refused or broken. */
    static final int UNREACHABLE = -1;
    /** No answer within the client's timeout. */
    static final int NO_ANSWER = -2;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final String instance;
    private final String token;
    private final String openid;
    private final Duration pace;
    private final List<Thread> senders = new ArrayList<>();
    private final ConcurrentLinkedQueue<Sent> sent = new ConcurrentLinkedQueue<>();
    private final AtomicLong nextMsgId;
    private volatile boolean running;

    WebhookLoad(String baseUrl, String instance, String token, String openid, long firstMsgId, int threads, Duration pace) {
        this.baseUrl = baseUrl;
        this.instance = instance;
        this.token = token;
        this.openid = openid;
        this.nextMsgId = new AtomicLong(firstMsgId);
        this.pace = pace;
        for (int i = 0; i < threads; i++) {
            Thread sender = new Thread(this::sendUntilStopped, "webhook-load-" + i);
            sender.setDaemon(true);
            senders.add(sender);
        }
    }

    WebhookLoad start() {
        running = true;
        senders.forEach(Thread::start);
        return this;
    }

    @Override
    public void close() {
        running = false;
        for (Thread sender : senders) {
            try {
                sender.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    List<Sent> sent() {
        return List.copyOf(sent);
    }

    /** The MsgIds the hub acknowledged (HTTP 200 {@code success}): each must be applied exactly once. */
    Set<Long> acknowledged() {
        Set<Long> ids = new TreeSet<>();
        for (Sent s : sent) {
            if (s.status() == 200) {
                ids.add(s.msgId());
            }
        }
        return ids;
    }

    /** What was sent between two instants (by when it was sent). */
    List<Sent> sentBetween(long fromMillis, long toMillis) {
        return sent.stream().filter(s -> s.startedAtMillis() >= fromMillis && s.startedAtMillis() < toMillis).toList();
    }

    private void sendUntilStopped() {
        while (running) {
            long msgId = nextMsgId.getAndIncrement();
            long started = System.currentTimeMillis();
            Answer answer = post(msgId);
            sent.add(new Sent(msgId, started, System.currentTimeMillis() - started, answer.status(), answer.text()));
            long rest = pace.toMillis() - (System.currentTimeMillis() - started);
            if (rest > 0) {
                try {
                    Thread.sleep(rest);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private Answer post(long msgId) {
        String timestamp = Long.toString(System.currentTimeMillis() / 1000);
        String nonce = Long.toString(msgId);
        String query = "signature=" + SHA1.gen(token, timestamp, nonce) + "&timestamp=" + timestamp + "&nonce=" + nonce
                + "&openid=" + openid;
        String xml = WeChatWebhookClient.text(openid, Long.parseLong(timestamp), "load " + msgId, msgId);
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/hooks/wechat/" + instance + "?" + query))
                    .timeout(Duration.ofSeconds(15))
                    .header("Content-Type", "text/xml")
                    .POST(HttpRequest.BodyPublishers.ofString(xml, StandardCharsets.UTF_8))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200 && !"success".equals(response.body())) {
                throw new IllegalStateException("200 without WeChat's 'success': " + response.body());
            }
            return new Answer(response.statusCode(), response.statusCode() == 200 ? "" : response.body());
        } catch (HttpTimeoutException e) {
            return new Answer(NO_ANSWER, "");
        } catch (IOException e) {
            return new Answer(UNREACHABLE, "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(UNREACHABLE, "");
        }
    }
}
