package io.omnihub.crm;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

/** Time-ordered UUIDs (version 7 layout) and id parsing. */
final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    static UUID v7(Instant now) {
        long ms = now.toEpochMilli();
        long randA = RANDOM.nextInt(1 << 12);
        long msb = (ms << 16) | (0x7L << 12) | randA;
        long lsb = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }

    static Optional<UUID> parse(String id) {
        if (id == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(id.strip()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static OffsetDateTime utc(Instant i) {
        return i == null ? null : i.atOffset(ZoneOffset.UTC);
    }

    /** {@code /connectors/<connector>/<instance>} gives {@code <connector>}; anything else the source itself. */
    static String connectorOf(String source) {
        if (source == null) {
            return "unknown";
        }
        String[] parts = source.split("/");
        if (parts.length >= 3 && parts[1].equals("connectors") && !parts[2].isBlank()) {
            return parts[2];
        }
        return source;
    }
}
