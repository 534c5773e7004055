package io.omnihub.testkit.hostile;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * One hostile input of a {@link HostileCorpus}: a file exactly as the channel (or an attacker) would
 * send it, how the test delivers it, and the outcome a user must see.
 *
 * @param folder   the corpus folder on the class path, e.g. {@code /wechat/hostile}
 * @param file     the file's name in that folder
 * @param bytes    the file's exact bytes
 * @param delivery how the connector's test delivers it; the corpus' own vocabulary, e.g.
 *                 {@code mp}, {@code wecom-unsigned}, {@code orderDetail}
 * @param expected the outcome a user must see
 * @param message  a part the outcome's error message must contain, when the table names one
 */
public record HostileInput(String folder, String file, byte[] bytes, String delivery, Outcome expected,
                           Optional<String> message) {

    public HostileInput {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The bytes as UTF-8 text (invalid sequences replaced), for inputs that are text. */
    public String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** How the parameterized test names it: {@code xxe-file.xml [mp] -> rejected}. */
    @Override
    public String toString() {
        return file + " [" + delivery + "] -> " + expected.label();
    }
}
