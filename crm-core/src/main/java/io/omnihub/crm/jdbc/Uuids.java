package io.omnihub.crm.jdbc;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Time-ordered UUIDs (version 7 layout): ids sort by creation, which keeps indexes compact. */
public final class Uuids {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Uuids() {
    }

    /** A new id whose first 48 bits are {@code now} in milliseconds. */
    public static UUID v7(Instant now) {
        long ms = now.toEpochMilli();
        long msb = (ms << 16) | (0x7L << 12) | RANDOM.nextInt(1 << 12);
        long lsb = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }

    /** The id written in {@code text} (surrounding blanks ignored); empty when it is not a UUID. */
    public static Optional<UUID> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(text.strip()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
