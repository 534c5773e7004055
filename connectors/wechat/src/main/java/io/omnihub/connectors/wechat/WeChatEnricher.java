package io.omnihub.connectors.wechat;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnihub.connector.ConnectorContext;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.Enricher;
import io.omnihub.connector.event.EventTypes;
import io.omnihub.connector.event.Evidence;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.IdentityTypes;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Links identities only WeChat's API knows, as {@code identity.linked} events of their own.
 *
 * <p>Official Account: the unionid of an openid ({@code /cgi-bin/user/info}); an openid is only
 * unique within one app, the unionid links the person across the brand's apps. WeCom: the
 * unionid and the phone numbers staff noted for an external contact
 * ({@code /cgi-bin/externalcontact/get}).
 *
 * <p>Failures of the API propagate as the typed errors of {@link WeChatApiClient}; the hub retries
 * them and parks the request if they persist. The event that triggered the lookup has already gone on.
 *
 * <p>Nothing here remembers that a link was <em>emitted</em>: only the hub knows when it has
 * persisted an event, so a "done" flag set here could outlive a crash that lost the event. Lookup
 * answers are cached as facts instead, and the same link, with the same id, is returned each time.
 */
public final class WeChatEnricher implements Enricher {

    /** Cache key prefix of an openid's looked-up unionid ({@value}{@code <openid>}). */
    static final String UNIONID_KEY_PREFIX = "unionid:";
    /** Cached for an openid WeChat knows no unionid of (a unionid is never blank). */
    static final String NO_UNIONID = "-";
    /** A unionid never changes; a day keeps the lookups to about one per active follower per day. */
    static final Duration LINKED_TTL = Duration.ofHours(24);
    /** No unionid may become one when the account is bound to an Open Platform account: ask again sooner. */
    static final Duration UNLINKED_TTL = Duration.ofHours(1);
    /** WeCom: the contact is no longer an external contact of anyone (deleted since the event). */
    static final int NOT_EXTERNAL_CONTACT = 84061;

    /**
     * Unionids this node has already seen, in front of the cluster cache: an openid's unionid never
     * changes, so this memo needs no invalidation, and a follower's every message then costs no
     * database round trip. "No unionid" is remembered apart and for a short while only: binding the
     * account can change it.
     */
    private static final int KNOWN_UNIONIDS = 10_000;
    private final Map<String, String> knownUnionids = lastUsed(KNOWN_UNIONIDS);
    /**
     * Openids this node found without a unionid, and until when it trusts that without reading the
     * shared cache again: {@link #NO_UNIONID_TRUSTED} at most, so binding the account shows within
     * {@link #UNLINKED_TTL} plus that.
     */
    private final Map<String, Instant> withoutUnionidUntil = lastUsed(KNOWN_UNIONIDS);
    /** How long this node believes "no unionid" without looking at the shared cache. */
    static final Duration NO_UNIONID_TRUSTED = Duration.ofMinutes(10);
    private final ConnectorContext ctx;
    private final WeChatConfig config;
    private final WeChatApiClient api;

    public WeChatEnricher(ConnectorContext ctx, WeChatConfig config, WeChatApiClient api) {
        this.ctx = ctx;
        this.config = config;
        this.api = api;
    }

    @Override
    public List<CustomerEvent> enrich(CustomerEvent event) {
        if (EventTypes.IDENTITY_LINKED.equals(event.type())) {
            return List.of();
        }
        return config.kind() == WeChatConfig.Kind.WECOM ? enrichExternalContact(event) : enrichOpenid(event);
    }

    /**
     * Answers from this node's memo of unionids when it can: a follower's every message after the
     * first then needs no separate enrichment step. A WeCom contact's details can change at any edit,
     * so those are always looked up.
     */
    @Override
    public Optional<List<CustomerEvent>> enrichLocally(CustomerEvent event) {
        if (EventTypes.IDENTITY_LINKED.equals(event.type())) {
            return Optional.of(List.of());
        }
        if (config.kind() == WeChatConfig.Kind.WECOM) {
            return externalContactToLookUp(event).isPresent() ? Optional.empty() : Optional.of(List.of());
        }
        Optional<String> openid = identity(event, IdentityTypes.WECHAT_OPENID);
        if (openid.isEmpty()) {
            return Optional.of(List.of());
        }
        String unionid = knownUnionids.get(openid.get());
        if (unionid != null) {
            return Optional.of(List.of(unionidLink(event, openid.get(), unionid)));
        }
        Instant until = withoutUnionidUntil.get(openid.get());
        return until != null && ctx.clock().instant().isBefore(until) ? Optional.of(List.of()) : Optional.empty();
    }

    private static <V> Map<String, V> lastUsed(int capacity) {
        return Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > capacity;
            }
        });
    }

    /**
     * Links the openid to its unionid. The token cache holds the looked-up unionid (a fact about
     * the openid), never a "done" marker: the link event is returned on every call, from the cache
     * when it can be, so a hub that crashes before persisting it gets it again on the next event of
     * that follower (or the retried lookup). Its deterministic id lets the core drop the repeats.
     */
    private List<CustomerEvent> enrichOpenid(CustomerEvent event) {
        Optional<String> openid = identity(event, IdentityTypes.WECHAT_OPENID);
        if (openid.isEmpty()) {
            return List.of();
        }
        String unionid = unionidOf(openid.get());
        if (unionid.isEmpty()) {
            return List.of();
        }
        return List.of(unionidLink(event, openid.get(), unionid));
    }

    private CustomerEvent unionidLink(CustomerEvent cause, String openid, String unionid) {
        return linked(cause, "wechat:" + config.appId() + ":unionid:" + openid)
                .identity(Identity.of(IdentityTypes.WECHAT_OPENID, openid, config.appId()).withEvidence(Evidence.VERIFIED))
                .identity(Identity.of(IdentityTypes.WECHAT_UNIONID, unionid).withEvidence(Evidence.VERIFIED))
                .build();
    }

    /**
     * The unionid of {@code openid}, empty when WeChat knows none: from the cache, else from
     * {@code /cgi-bin/user/info} and then cached. Plain get and put rather than
     * {@link io.omnihub.connector.state.TokenCache#getOrFetch}: two nodes asking at once merely ask
     * twice, which is harmless, while a cluster-wide lock would be held across the HTTP call.
     */
    private String unionidOf(String openid) {
        String known = knownUnionids.get(openid);
        if (known != null) {
            return known;
        }
        String cacheKey = UNIONID_KEY_PREFIX + openid;
        Optional<String> cached = ctx.tokens().get(cacheKey);
        if (cached.isPresent()) {
            if (NO_UNIONID.equals(cached.get())) {
                withoutUnionid(openid);
                return "";
            }
            knownUnionids.put(openid, cached.get());
            return cached.get();
        }
        JsonNode user = api.get("/cgi-bin/user/info", Map.of("openid", openid, "lang", "zh_CN"));
        // WeChat's own documentation sample carries the unionid with a leading space.
        String unionid = user.path("unionid").asText("").strip();
        if (unionid.isEmpty()) {
            ctx.tokens().put(cacheKey, NO_UNIONID, UNLINKED_TTL);
            withoutUnionid(openid);
        } else {
            ctx.tokens().put(cacheKey, unionid, LINKED_TTL);
            knownUnionids.put(openid, unionid);
        }
        return unionid;
    }

    /** The external contact a WeCom event asks to look up: one added or edited. */
    private Optional<String> externalContactToLookUp(CustomerEvent event) {
        Object changeType = event.data().extra().get("changeType");
        if (!WeChatNormalizer.ADD_EXTERNAL_CONTACT.equals(changeType)
                && !WeChatNormalizer.EDIT_EXTERNAL_CONTACT.equals(changeType)) {
            return Optional.empty();
        }
        return identity(event, IdentityTypes.WECOM_EXTERNAL_USERID);
    }

    private void withoutUnionid(String openid) {
        withoutUnionidUntil.put(openid, ctx.clock().instant().plus(NO_UNIONID_TRUSTED));
    }

    private List<CustomerEvent> enrichExternalContact(CustomerEvent event) {
        Optional<String> externalUserId = externalContactToLookUp(event);
        if (externalUserId.isEmpty()) {
            return List.of();
        }
        JsonNode answer;
        try {
            answer = api.get("/cgi-bin/externalcontact/get", Map.of("external_userid", externalUserId.get()));
        } catch (WeChatErrors.WeChatRefusal e) {
            if (e.errcode() == NOT_EXTERNAL_CONTACT) {
                return List.of();
            }
            throw e;
        }
        JsonNode contact = answer.path("external_contact");
        CustomerEvent.Builder linked = linked(event, "wecom:" + config.appId() + ":contact:" + externalUserId.get()
                + ":" + event.time().toEpochSecond())
                .identity(Identity.of(IdentityTypes.WECOM_EXTERNAL_USERID, externalUserId.get(), config.appId()).withEvidence(Evidence.VERIFIED));
        String unionid = contact.path("unionid").asText("").strip();
        if (!unionid.isEmpty()) {
            linked.identity(Identity.of(IdentityTypes.WECHAT_UNIONID, unionid).withEvidence(Evidence.VERIFIED));
        }
        Set<Identity> phones = new LinkedHashSet<>();
        for (JsonNode follower : answer.path("follow_user")) {
            for (JsonNode mobile : follower.path("remark_mobiles")) {
                try {
                    // written down by the salesperson: the contact's, or a family member's
                    phones.add(Identity.phone(mobile.asText("")).withEvidence(Evidence.NOTED));
                } catch (IllegalArgumentException e) {
                    // Staff type free text here ("ask reception"); what is no phone is no identity.
                }
            }
        }
        phones.forEach(linked::identity);
        String name = contact.path("name").asText("").strip();
        linked.attribute("name", name.isEmpty() ? null : name);
        linked.attribute("gender", gender(contact.path("gender").asInt(0)));
        return List.of(linked.build());
    }

    private CustomerEvent.Builder linked(CustomerEvent cause, String id) {
        // Time and receivedAt come from the cause so that a retried lookup yields the same event.
        return CustomerEvent.builder(id, EventTypes.IDENTITY_LINKED)
                .source(ctx.connectorId(), ctx.instanceId())
                .time(cause.time())
                .receivedAt(cause.data().receivedAt().toInstant());
    }

    private Optional<String> identity(CustomerEvent event, String type) {
        return event.data().identities().stream()
                .filter(identity -> type.equals(identity.type()) && config.appId().equals(identity.namespace()))
                .map(Identity::value)
                .findFirst();
    }

    /** WeCom's gender: 0 unknown, 1 male, 2 female. */
    private static String gender(int code) {
        return switch (code) {
            case 1 -> "male";
            case 2 -> "female";
            default -> null;
        };
    }
}
