package io.omnihub.demo;

import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * What the simulated world prints: one line per thing that happened, on standard output, which the
 * hub that started this process copies into its own log.
 */
final class Log {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private Log() {
    }

    static synchronized void line(String text) {
        System.out.println(TIME.format(LocalTime.now(ZoneId.of("Asia/Shanghai"))) + " " + text);
        System.out.flush();
    }
}
