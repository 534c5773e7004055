package io.omnihub.routes.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.omnihub.connector.event.CustomerEvent;

/**
 * Fuzz test of the canonical event codec, which reads what {@code POST /api/v1/events} receives from
 * outside the hub: any bytes are a valid event or an {@link InvalidEventException} with a short
 * message, never another exception; an event it accepts is written and read back unchanged. See
 * docs/fuzzing.md for running it longer.
 */
class CanonicalEventCodecFuzzTest {

    private static final CanonicalEventCodec CODEC = new CanonicalEventCodec();

    @FuzzTest
    void anyBytesAreAnEventThatRoundTripsOrInvalid(byte[] json) {
        CustomerEvent event;
        try {
            event = CODEC.decode(json);
        } catch (InvalidEventException invalid) {
            assertThat(invalid.getMessage().length()).as("length of the message").isLessThanOrEqualTo(4000);
            return;
        }
        byte[] written = CODEC.encode(event);
        assertThat(CODEC.decode(written)).isEqualTo(event);
        assertThat(CODEC.decodeTrusted(written)).isEqualTo(event);
    }
}
