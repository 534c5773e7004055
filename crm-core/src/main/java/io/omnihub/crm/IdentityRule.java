package io.omnihub.crm;

import java.util.Objects;

/**
 * How the identity graph treats one identifier type.
 *
 * @param linkable      whether identifiers of this type match and link profiles; when false they are
 *                      only recorded on the profile as unlinked
 * @param priority      higher wins: the strongest identifier of an event is the message-group key, and
 *                      when a limit would be exceeded the lowest-priority identifier is dropped first
 * @param maxPerProfile how many identifiers of this type (per namespace when {@code perNamespace}) one
 *                      profile may hold; a link or merge that would exceed it is refused
 * @param perNamespace  whether {@code maxPerProfile} counts per namespace (an openid per appid) or
 *                      across all namespaces of the type
 * @param channel       the channel the type belongs to for consent-aware linking ({@code wechat},
 *                      {@code douyin}, {@code tmall}, {@code pos}, {@code erp}, ...), or
 *                      {@value IdentityPolicy#GLOBAL} for person-level identifiers such as phone or email
 */
public record IdentityRule(boolean linkable, int priority, int maxPerProfile, boolean perNamespace, String channel) {

    public IdentityRule {
        if (maxPerProfile < 0) {
            throw new IllegalArgumentException("maxPerProfile must be >= 0");
        }
        channel = Objects.requireNonNullElse(channel, IdentityPolicy.GLOBAL).strip().toLowerCase(java.util.Locale.ROOT);
        if (channel.isEmpty()) {
            channel = IdentityPolicy.GLOBAL;
        }
    }

    /** A linkable rule counted per namespace. */
    public static IdentityRule of(int priority, int maxPerProfile, String channel) {
        return new IdentityRule(true, priority, maxPerProfile, true, channel);
    }

    public IdentityRule withLinkable(boolean v) {
        return new IdentityRule(v, priority, maxPerProfile, perNamespace, channel);
    }

    public IdentityRule withPriority(int v) {
        return new IdentityRule(linkable, v, maxPerProfile, perNamespace, channel);
    }

    public IdentityRule withMaxPerProfile(int v) {
        return new IdentityRule(linkable, priority, v, perNamespace, channel);
    }

    public IdentityRule withPerNamespace(boolean v) {
        return new IdentityRule(linkable, priority, maxPerProfile, v, channel);
    }

    public IdentityRule withChannel(String v) {
        return new IdentityRule(linkable, priority, maxPerProfile, perNamespace, v);
    }
}
