package io.omnihub.demo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The brand's own systems, which have no connector and post canonical events (CloudEvents JSON) to
 * {@code POST /api/v1/events}: the web shop inside the Official Account (carts, consent), its lead
 * form, the help desk and the nightly churn model. These are the events the shipped automation
 * examples listen to. Each says how it knows the customer, as a connector would: the Official
 * Account's openid and unionid come from WeChat's sign-in ({@code verified}); the web shop signs its
 * members in with a code sent to their phone ({@code verified}); a phone typed into the lead form or
 * given to the help desk is {@code stated}; the churn model scores the web shop's members and names
 * them by openid only.
 */
final class BrandSystems {

    private final AtomicLong ids = new AtomicLong(System.currentTimeMillis());

    /** The web shop: the customer's cart now holds {@code fen} worth; they are looked after by {@code homeStore}. */
    String cart(Person person, String cartId, long fen) {
        ObjectNode event = event("webshop", "cart.updated", person, "verified");
        ObjectNode data = (ObjectNode) event.path("data");
        data.putObject("order").put("id", cartId).put("currency", "CNY").put("totalMinor", fen);
        if (person.homeStore() != null) {
            data.putObject("attributes").put("homeStore", person.homeStore());
        }
        return event.toString();
    }

    /**
     * The web shop's member page: the customer agreed to marketing messages, named their store and
     * gave an e-mail address (typed in, so {@code stated}).
     */
    String consent(Person person) {
        ObjectNode event = event("webshop", "consent.changed", person, "verified");
        ObjectNode data = (ObjectNode) event.path("data");
        ((ArrayNode) data.path("identities")).addObject().put("type", "email")
                .put("value", person.email()).put("evidence", "stated");
        data.putObject("consent").put("marketing", true).put("crossChannelLinking", true);
        ObjectNode attributes = data.putObject("attributes").put("name", person.name());
        if (person.homeStore() != null) {
            attributes.put("homeStore", person.homeStore());
        }
        return event.toString();
    }

    /** The lead form inside the Official Account. */
    String lead(Person person, String form) {
        ObjectNode event = event("webform", "lead.created", person, "stated");
        ObjectNode data = (ObjectNode) event.path("data");
        data.putObject("attributes").put("name", person.name()).put("region", person.region());
        data.putObject("extra").put("form", form);
        return event.toString();
    }

    /** The help desk: a ticket opened, or resolved with the customer's satisfaction (1-5). */
    String ticket(Person person, String ticketId, Integer satisfaction) {
        ObjectNode event = event("helpdesk", satisfaction == null ? "ticket.opened" : "ticket.resolved", person, "stated");
        ObjectNode extra = ((ObjectNode) event.path("data")).putObject("extra").put("ticketId", ticketId);
        if (satisfaction != null) {
            extra.put("satisfaction", satisfaction);
        }
        return event.toString();
    }

    /** The churn model's nightly score for the customer (0-100). */
    String churnRisk(Person person, int value) {
        ObjectNode event = event("churn-model", "score.changed", person, null);
        ((ObjectNode) event.path("data")).putObject("extra").put("score", "churn_risk").put("value", value);
        return event.toString();
    }

    /** @param phoneEvidence how the system knows the person's phone ({@code verified}, {@code stated}), or null to leave it out */
    private ObjectNode event(String system, String type, Person person, String phoneEvidence) {
        Instant now = Instant.now();
        ObjectNode event = Recorded.JSON.createObjectNode();
        event.put("specversion", "1.0");
        event.put("id", system + ":" + ids.incrementAndGet());
        event.put("source", "/connectors/" + system + "/lanhu");
        event.put("type", type);
        event.put("time", now.toString());
        event.put("datacontenttype", "application/json");
        ObjectNode data = event.putObject("data");
        data.put("receivedAt", now.toString());
        var identities = data.putArray("identities");
        if (person.openid() != null) {
            identities.addObject().put("type", "wechat_openid").put("value", person.openid()).put("namespace", BrandAccounts.OA_APP_ID)
                    .put("evidence", "verified");
            identities.addObject().put("type", "wechat_unionid").put("value", person.unionid()).put("evidence", "verified");
        }
        if (person.phone() != null && phoneEvidence != null) {
            identities.addObject().put("type", "phone").put("value", "+86" + person.phone()).put("evidence", phoneEvidence);
        }
        return event;
    }
}
