package io.omnihub.hub.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs wrk (Debian package {@code wrk}) as the load generator and reads its report. */
final class Wrk {

    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in ([\\d.]+)(us|ms|s|m)");
    private static final Pattern PERCENTILE = Pattern.compile("^\\s+(50|99)(?:\\.000)?%\\s+([\\d.]+)(us|ms|s)\\s*$", Pattern.MULTILINE);
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern SOCKET_ERRORS = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

    private Wrk() {
    }

    static boolean available() {
        try {
            Process probe = new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            probe.waitFor();
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static WebhookLoadBenchmark.Result run(String url, String script, int connections, Duration duration)
            throws IOException, InterruptedException {
        Path lua = Files.createTempFile("omnihub-bench", ".lua");
        Files.writeString(lua, script, StandardCharsets.UTF_8);
        Process wrk = new ProcessBuilder(List.of("wrk", "-t2", "-c" + connections, "-d" + duration.toSeconds() + "s",
                "--latency", "-s", lua.toString(), url)).redirectErrorStream(true).start();
        String report = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        wrk.waitFor();
        Matcher requests = REQUESTS.matcher(report);
        if (!requests.find()) {
            throw new IllegalStateException("unexpected wrk output:\n" + report);
        }
        long count = Long.parseLong(requests.group(1));
        double seconds = seconds(Double.parseDouble(requests.group(2)), requests.group(3));
        double p50 = 0;
        double p99 = 0;
        Matcher percentile = PERCENTILE.matcher(report);
        while (percentile.find()) {
            double millis = seconds(Double.parseDouble(percentile.group(2)), percentile.group(3)) * 1000;
            if ("50".equals(percentile.group(1))) {
                p50 = millis;
            } else {
                p99 = millis;
            }
        }
        long errors = 0;
        Matcher non2xx = NON_2XX.matcher(report);
        if (non2xx.find()) {
            errors += Long.parseLong(non2xx.group(1));
        }
        Matcher socket = SOCKET_ERRORS.matcher(report);
        if (socket.find()) {
            for (int i = 1; i <= 4; i++) {
                errors += Long.parseLong(socket.group(i));
            }
        }
        Files.deleteIfExists(lua);
        return new WebhookLoadBenchmark.Result(count, errors, seconds, p50, p99);
    }

    private static double seconds(double value, String unit) {
        return switch (unit) {
            case "us" -> value / 1e6;
            case "ms" -> value / 1e3;
            case "m" -> value * 60;
            default -> value;
        };
    }
}
