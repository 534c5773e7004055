package io.omnihub.demo;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The demo's outside world in a process of its own: WireMock on a free local port speaking every
 * bundled channel's API (WeChat Official Account and WeCom, the Douyin Open Platform, 抖店, TOP with
 * TMC, Pospal, Kingdee, Aliyun SMS), GreenMail as the brand's mail server on another, and a
 * {@link TrafficPlayer} that plays a small brand's day against a hub.
 *
 * <p>The hub starts it with {@code --demo} and talks to it over standard input and output, one line
 * each way:
 * <ul>
 *   <li>it prints {@value #READY} followed by JSON once it listens: {@code url}, {@code requests}
 *       (WireMock's journal of what the hub sent) and {@code instances}, the hub's instances against
 *       it as {@code {connector: {instance: {key: value}}}};</li>
 *   <li>{@code play <hub url> <user> <password> <seconds per day>} starts the day against that hub
 *       (the user writes the journey {@value #WELCOME_JOURNEY} and posts the brand's own systems'
 *       events, and needs role operator);</li>
 *   <li>the end of its input stops it: the hub that started it is gone.</li>
 * </ul>
 * Everything else it prints is what happens, a line each. {@code java -jar omnihub-demo.jar} runs it
 * alone; type the {@code play} line to point it at a hub.
 */
public final class ChannelSimulator implements AutoCloseable {

    static final String READY = "omnihub-demo-channels ready";
    /** The brand's own journey, written to the hub when the day starts: it sends what the SMS and mail channels carry. */
    static final String WELCOME_JOURNEY = "member-welcome";

    private final WireMockServer server;
    private final BrandAccounts accounts = new BrandAccounts();
    private final Cast cast = new Cast();
    private final SimulatedChannels channels;
    private TrafficPlayer player;

    private ChannelSimulator(int port) {
        Answers answers = new Answers();
        server = new WireMockServer(options().bindAddress("127.0.0.1").port(port).extensions(answers)
                .maxRequestJournalEntries(5000).containerThreads(16));
        channels = new SimulatedChannels(new WeChatChannel(accounts, cast), new DouyinChannel(accounts),
                new DoudianChannel(accounts), new TopChannel(), new PospalChannel(cast), new KingdeeChannel(),
                new AliyunSmsChannel(accounts, cast), new MailChannel(), new BrandSystems());
        server.start();
        channels.mail().start();
        channels.wechat().install(server, answers);
        channels.douyin().install(server);
        channels.doudian().install(server, answers);
        channels.top().install(server, answers);
        channels.pospal().install(server, answers);
        channels.kingdee().install(server, answers);
        channels.sms().install(server, answers);
    }

    /** Listens on {@code port} (0: any free one) of 127.0.0.1. */
    static ChannelSimulator start(int port) {
        return new ChannelSimulator(port);
    }

    String url() {
        return "http://127.0.0.1:" + server.port();
    }

    /** What {@value #READY} is followed by. */
    String readyJson() {
        ObjectNode ready = Recorded.JSON.createObjectNode();
        ready.put("url", url());
        ready.put("requests", url() + "/__admin/requests");
        ready.set("instances", Recorded.JSON.valueToTree(accounts.instances(url(), channels.mail().smtpPort())));
        return ready.toString();
    }

    /** Starts the brand's day against the hub at {@code hubUrl}; a second call is refused. */
    synchronized void play(String hubUrl, String user, String password, Duration dayLength) {
        if (player != null) {
            throw new IllegalStateException("the day is being played already");
        }
        HubClient hub = new HubClient(hubUrl, user, password);
        channels.sms().reportTo(hub);
        hub.journey(WELCOME_JOURNEY, resource("/automation/" + WELCOME_JOURNEY + ".yaml"));
        int firstSerial = (int) (System.currentTimeMillis() / 1000 % 9_000_000);
        player = new TrafficPlayer(new BrandDay(cast, channels, hub).scenes(), dayLength, firstSerial);
        player.start();
    }

    @Override
    public synchronized void close() {
        if (player != null) {
            player.close();
        }
        channels.sms().close();
        channels.mail().close();
        server.stop();
    }

    private static String resource(String path) {
        try (InputStream in = ChannelSimulator.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("no " + path + " in the demo JAR");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void main(String[] args) throws IOException {
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8));
        int port = 0;
        for (String arg : args) {
            if (arg.startsWith("--port=")) {
                port = Integer.parseInt(arg.substring("--port=".length()));
            }
        }
        try (ChannelSimulator simulator = start(port)) {
            System.out.println(READY + " " + simulator.readyJson());
            BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = commands.readLine(); line != null; line = commands.readLine()) {
                String[] words = line.strip().split("\\s+");
                if (words.length == 5 && words[0].equals("play")) {
                    simulator.play(words[1], words[2], words[3], Duration.ofSeconds(Long.parseLong(words[4])));
                } else if (!line.isBlank()) {
                    Log.line("unknown command; expected: play <hub url> <user> <password> <seconds per day>");
                }
            }
        }
        Log.line("the demo's channels stop: their hub is gone");
        System.exit(0);
    }
}
