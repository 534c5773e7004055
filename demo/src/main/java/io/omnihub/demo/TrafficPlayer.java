package io.omnihub.demo;

import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Plays the brand's day against the hub, compressed into {@code dayLength}, then the next day, until
 * stopped. Scenes run one after the other on one thread; one that fails is logged and the day goes on.
 */
final class TrafficPlayer implements AutoCloseable {

    /** The brand's opening hours the day is spread over, for the log. */
    private static final LocalTime OPENS = LocalTime.of(8, 0);
    private static final Duration OPEN_FOR = Duration.ofHours(14);

    private final List<BrandDay.Scene> scenes;
    private final Duration dayLength;
    private final int firstSerial;
    private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "brand-day");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param firstSerial the serial of the first day: unique per run (from the clock), so ids never
     *                    repeat those of an earlier run against the same hub
     */
    TrafficPlayer(List<BrandDay.Scene> scenes, Duration dayLength, int firstSerial) {
        this.scenes = scenes;
        this.dayLength = dayLength;
        this.firstSerial = firstSerial;
    }

    void start() {
        Log.line("the brand's day starts: " + scenes.size() + " scenes every " + dayLength.toSeconds() + " s");
        day(1);
    }

    private void day(int number) {
        long dayMillis = dayLength.toMillis();
        for (BrandDay.Scene scene : scenes) {
            long at = Math.round(scene.at() * dayMillis);
            clock.schedule(() -> play(number, scene), at, TimeUnit.MILLISECONDS);
        }
        clock.schedule(() -> day(number + 1), dayMillis, TimeUnit.MILLISECONDS);
    }

    private void play(int day, BrandDay.Scene scene) {
        LocalTime brandTime = OPENS.plusSeconds(Math.round(scene.at() * OPEN_FOR.toSeconds()));
        Log.line("day " + day + " " + brandTime.withSecond(0) + "  " + scene.what() + "  [" + scene.channel() + "]");
        try {
            scene.action().accept(firstSerial + day - 1);
        } catch (RuntimeException e) {
            Log.line("  ! " + scene.what() + " failed: " + e);
        }
    }

    @Override
    public void close() {
        clock.shutdownNow();
    }
}
