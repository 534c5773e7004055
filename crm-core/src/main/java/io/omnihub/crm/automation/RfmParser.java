package io.omnihub.crm.automation;

import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads {@code rfm:}, the RFM scoring settings; a field left out keeps {@link RfmSettings#DEFAULT}'s
 * value.
 */
final class RfmParser {

    private RfmParser() {
    }

    static RfmSettings rfm(String source, Node node) {
        YamlFields r = new YamlFields(source, node, "'rfm'").only("enabled", "currency", "recency-days", "frequency", "monetary-minor");
        RfmSettings d = RfmSettings.DEFAULT;
        boolean enabled = r.bool("enabled", true);
        String currency = r.has("currency") ? r.text("currency") : d.currency();
        if (!currency.matches("^[A-Z]{3}$")) {
            throw r.problem(r.node("currency"), "'currency' must be an ISO 4217 code such as CNY");
        }
        List<Long> recency = r.has("recency-days") ? limits(r, "recency-days") : d.recencyDays();
        List<Long> frequency = r.has("frequency") ? limits(r, "frequency") : d.frequency();
        List<Long> monetary = r.has("monetary-minor") ? limits(r, "monetary-minor") : d.monetaryMinor();
        r.finish();
        return new RfmSettings(enabled, currency, recency, frequency, monetary);
    }

    private static List<Long> limits(YamlFields r, String field) {
        List<String> texts = r.texts(field);
        List<Long> out = new ArrayList<>();
        for (String text : texts) {
            try {
                out.add(Long.parseLong(text.replace("_", "")));
            } catch (NumberFormatException e) {
                throw r.problem(r.node(field), "'" + field + "' must list whole numbers");
            }
        }
        for (int i = 1; i < out.size(); i++) {
            if (out.get(i) <= out.get(i - 1)) {
                throw r.problem(r.node(field), "'" + field + "' must ascend");
            }
        }
        if (out.size() != 4) {
            throw r.problem(r.node(field), "'" + field + "' needs four limits (scores 1 to 5)");
        }
        return List.copyOf(out);
    }
}
