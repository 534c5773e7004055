package io.omnihub.connectors.pos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * What the connector keeps of a Pospal member ({@code customerOpenApi/queryByUid}): fields may be
 * {@code null} when the member record has none.
 *
 * @param phone  the member's phone as Pospal holds it
 * @param number the member number (会员号), the card number of the loyalty programme
 * @param name   the member's name
 * @param email  the member's e-mail
 */
public record PospalMember(String phone, String number, String name, String email) {

    /** How the shared cache remembers that Pospal knows no such member. */
    static final String ABSENT = "{}";

    String toJson() {
        ObjectNode node = PospalApiClient.JSON.createObjectNode();
        node.put("phone", phone);
        node.put("number", number);
        node.put("name", name);
        node.put("email", email);
        return node.toString();
    }

    static Optional<PospalMember> fromJson(String json) {
        try {
            JsonNode node = PospalApiClient.JSON.readTree(json);
            if (node == null || !node.isObject() || node.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new PospalMember(PospalApiClient.text(node, "phone"), PospalApiClient.text(node, "number"),
                    PospalApiClient.text(node, "name"), PospalApiClient.text(node, "email")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Names the fields present, never their values: the values are personal data. */
    @Override
    public String toString() {
        return "PospalMember{phone=" + (phone == null ? "none" : "***") + ", number=" + (number == null ? "none" : "***")
                + ", name=" + (name == null ? "none" : "***") + ", email=" + (email == null ? "none" : "***") + "}";
    }
}
