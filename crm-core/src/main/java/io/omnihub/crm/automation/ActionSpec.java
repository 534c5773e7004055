package io.omnihub.crm.automation;

import java.time.Duration;
import java.util.List;

/** What a rule or a journey step does. */
public sealed interface ActionSpec {

    /** The action's kind as recorded: {@code send}, {@code webhook}, {@code task}, {@code tag}, {@code untag}, {@code score}. */
    String name();

    /**
     * A message to the customer through a connector's {@code ActionSender}, on one of its options.
     * An option is out when the customer has no identity it can address, or (for marketing) no
     * marketing consent on its channel; of the rest, {@code order} picks one.
     *
     * @param marketing whether consent, frequency caps and quiet hours apply (default true)
     * @param campaign  when set, the customer gets at most one message of this campaign, on any channel
     * @param via       the ways it may go out ({@code via} or {@code prefer} in YAML)
     * @param order     how the option is picked among those that can reach the customer
     */
    record Send(boolean marketing, String campaign, List<SendOption> via, Order order) implements ActionSpec {
        @Override
        public String name() {
            return "send";
        }
    }

    /** How a send picks among the options that can reach the customer. */
    enum Order {
        /** {@code via}: the option on the channel the customer uses most; the listed order breaks ties. */
        MOST_USED,
        /** {@code prefer}: the first in the listed order; the next ones are fallbacks. */
        PREFERENCE
    }

    /**
     * One way to send.
     *
     * @param connector          connector id, e.g. {@code wechat}
     * @param instance           the instance, e.g. {@code brand-oa}
     * @param kind               the sender's action kind, e.g. {@code wechat.template}
     * @param recipientType      the identity type the channel addresses, e.g. {@code wechat_openid}
     * @param recipientNamespace its namespace (the appid of an openid), or null for any: then the one
     *                           first seen through this instance, else the most recently seen
     * @param payload            kind-specific fields, with templates
     */
    record SendOption(String connector, String instance, String kind, String recipientType, String recipientNamespace,
                      Payload payload) {
    }

    /**
     * An HMAC-signed JSON POST to a webhook target the hub is configured with
     * ({@code hub.automation.webhooks.<target>.*}).
     */
    record Webhook(String target, Payload body) implements ActionSpec {
        @Override
        public String name() {
            return "webhook";
        }
    }

    /**
     * A task for staff.
     *
     * @param title         its title, a template
     * @param note          more text, a template, or null
     * @param assignBy      {@code region}, {@code store} or {@code source}: look the assignee up in the
     *                      assignment table by {@code key}; null with a fixed {@code assignee}
     * @param key           the region, store or source to look up, an expression; null for the default
     *                      ({@code customer.attributes.region}, {@code .homeStore}, {@code .leadSource})
     * @param assignee      a fixed assignee, a template, or null
     * @param due           when it should be done, after creation, or null
     * @param escalateAfter when it goes to the manager if still open, or null
     */
    record Task(Template title, Template note, String assignBy, Expression key, Template assignee, Duration due,
                Duration escalateAfter) implements ActionSpec {
        @Override
        public String name() {
            return "task";
        }
    }

    /** Adds ({@code add}) or removes tags. */
    record Tag(boolean add, List<Template> tags) implements ActionSpec {
        @Override
        public String name() {
            return add ? "tag" : "untag";
        }
    }

    /**
     * Changes a named score: {@code add} adds (may be negative), {@code set} sets; each an expression.
     */
    record Score(String scoreName, Expression add, Expression set) implements ActionSpec {
        @Override
        public String name() {
            return "score";
        }
    }
}
