package io.omnihub.connectors.wechat;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.omnihub.connectors.wechat.WeChatApiStubs.ACCESS_TOKEN;
import static io.omnihub.connectors.wechat.WeChatApiStubs.deadBaseUrl;
import static io.omnihub.connectors.wechat.WeChatApiStubs.error;
import static io.omnihub.connectors.wechat.WeChatApiStubs.json;
import static io.omnihub.connectors.wechat.WeChatApiStubs.mpApiConfig;
import static io.omnihub.connectors.wechat.WeChatApiStubs.serverError;
import static io.omnihub.connectors.wechat.WeChatApiStubs.stubToken;
import static io.omnihub.connectors.wechat.WeChatApiStubs.wecomApiConfig;
import static io.omnihub.connectors.wechat.WeChatFixtures.APP_ID;
import static io.omnihub.connectors.wechat.WeChatFixtures.CORP_ID;
import static io.omnihub.connectors.wechat.WeChatFixtures.context;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omnihub.connector.errors.TransientException;
import io.omnihub.connector.event.CustomerEvent;
import io.omnihub.connector.event.EventTypes;
import io.omnihub.connector.event.Evidence;
import io.omnihub.connector.event.Identity;
import io.omnihub.connector.event.IdentityTypes;
import io.omnihub.testkit.TestConnectorContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class WeChatEnricherTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String OPENID = "oia2TjuEGTNoeX76QEjQNrcURxG8";
    private static final String EXTERNAL_USER = "woAJ2GCAAAXtWyujaWJHDDGi0mACH71w";

    private TestConnectorContext ctx;

    private WeChatEnricher enricher(Map<String, String> config) {
        ctx = context(config);
        WeChatConfig parsed = WeChatConfig.from(ctx.config());
        return new WeChatEnricher(ctx, parsed, new WeChatApiClient(ctx, parsed));
    }

    private static CustomerEvent mpEvent(String file) {
        WeChatNormalizer normalizer = new WeChatNormalizer("wechat", "brand-oa", WeChatFixtures.config(WeChatFixtures.mpConfig()));
        return normalizer.normalize(WeChatNormalizerTest.mpRecord(file)).get(0);
    }

    private static CustomerEvent wecomEvent(String file) {
        WeChatNormalizer normalizer = new WeChatNormalizer("wechat", "brand-oa", WeChatFixtures.config(WeChatFixtures.wecomConfig()));
        return normalizer.normalize(WeChatNormalizerTest.wecomRecord(file)).get(0);
    }

    private void stubUserInfo(String resource) {
        stubToken(wm);
        wm.stubFor(get(urlPathEqualTo("/cgi-bin/user/info"))
                .withQueryParam("access_token", equalTo(ACCESS_TOKEN))
                .withQueryParam("openid", equalTo(OPENID))
                .withQueryParam("lang", equalTo("zh_CN"))
                .willReturn(json(resource)));
    }

    @Test
    void unionidOfAFollowerIsLinkedTrimmed() {
        stubUserInfo("api/user-info.json");
        CustomerEvent cause = mpEvent("templatesendjobfinish.xml");

        List<CustomerEvent> linked = enricher(mpApiConfig(wm)).enrich(cause);

        assertThat(linked).hasSize(1);
        CustomerEvent event = linked.get(0);
        assertThat(event.id()).isEqualTo("wechat:" + APP_ID + ":unionid:" + OPENID);
        assertThat(event.type()).isEqualTo(EventTypes.IDENTITY_LINKED);
        assertThat(event.data().identities()).containsExactly(
                Identity.of(IdentityTypes.WECHAT_OPENID, OPENID, APP_ID).withEvidence(Evidence.VERIFIED),
                Identity.of(IdentityTypes.WECHAT_UNIONID, "o6_bmasdasdsad6_2sgVt7hMZOPfL").withEvidence(Evidence.VERIFIED));
        assertThat(event.time()).isEqualTo(cause.time());
        assertThat(event.data().receivedAt()).isEqualTo(cause.data().receivedAt());
        CanonicalEvents.assertValid(linked);
    }

    @Test
    void followerWithoutUnionidGivesNothing() {
        stubUserInfo("api/user-info-no-unionid.json");

        assertThat(enricher(mpApiConfig(wm)).enrich(mpEvent("templatesendjobfinish.xml"))).isEmpty();
    }

    @Test
    void repeatedEnrichmentReturnsTheSameLinkFromTheCache() {
        stubUserInfo("api/user-info.json");
        WeChatEnricher enricher = enricher(mpApiConfig(wm));

        List<CustomerEvent> first = enricher.enrich(mpEvent("templatesendjobfinish.xml"));
        List<CustomerEvent> second = enricher.enrich(mpEvent("text-chinese.xml"));

        // No "already linked" marker: the link comes again, with the same id, the core dedupes it.
        assertThat(first).extracting(CustomerEvent::id).containsExactly("wechat:" + APP_ID + ":unionid:" + OPENID);
        assertThat(second).extracting(CustomerEvent::id).containsExactly(first.get(0).id());
        assertThat(second.get(0).data().identities()).isEqualTo(first.get(0).data().identities());
        CanonicalEvents.assertValid(second);
        // ...but WeChat is asked once: the cache holds the unionid, a fact about the openid.
        wm.verify(1, getRequestedFor(urlPathEqualTo("/cgi-bin/user/info")));

        // A unionid never changes: this node keeps knowing it after the shared entry expired...
        ctx.mutableClock().advance(WeChatEnricher.LINKED_TTL.plusSeconds(1));
        assertThat(enricher.enrich(mpEvent("text-chinese.xml"))).extracting(CustomerEvent::id)
                .containsExactly(first.get(0).id());
        wm.verify(1, getRequestedFor(urlPathEqualTo("/cgi-bin/user/info")));
        // ...while a node that never saw it asks WeChat again once the shared entry expired.
        assertThat(enricher(mpApiConfig(wm)).enrich(mpEvent("text-chinese.xml"))).extracting(CustomerEvent::id)
                .containsExactly(first.get(0).id());
        wm.verify(2, getRequestedFor(urlPathEqualTo("/cgi-bin/user/info")));
    }

    @Test
    void linkLostInACrashIsReturnedAgainWithoutAnotherLookup() {
        stubUserInfo("api/user-info.json");
        CustomerEvent cause = mpEvent("templatesendjobfinish.xml");
        WeChatEnricher beforeCrash = enricher(mpApiConfig(wm));
        CustomerEvent lost = beforeCrash.enrich(cause).get(0);

        // The hub dies before persisting the link; it retries the same cause with a fresh instance
        // (another node) sharing the cluster's token cache.
        WeChatConfig parsed = WeChatConfig.from(ctx.config());
        WeChatEnricher afterCrash = new WeChatEnricher(ctx, parsed, new WeChatApiClient(ctx, parsed));
        List<CustomerEvent> retried = afterCrash.enrich(cause);

        assertThat(retried).hasSize(1);
        assertThat(retried.get(0).id()).isEqualTo(lost.id());
        assertThat(retried.get(0).time()).isEqualTo(lost.time());
        assertThat(retried.get(0).data().receivedAt()).isEqualTo(lost.data().receivedAt());
        assertThat(retried.get(0).data().identities()).isEqualTo(lost.data().identities());
        wm.verify(1, getRequestedFor(urlPathEqualTo("/cgi-bin/user/info")));
    }

    @Test
    void cacheHoldsTheUnionidNotADoneFlag() {
        stubUserInfo("api/user-info.json");
        enricher(mpApiConfig(wm)).enrich(mpEvent("templatesendjobfinish.xml"));

        assertThat(ctx.tokens().get("unionid:" + OPENID)).contains("o6_bmasdasdsad6_2sgVt7hMZOPfL");
    }

    @Test
    void openidWithoutUnionidIsAskedAgainOnlyAfterAnHour() {
        stubUserInfo("api/user-info-no-unionid.json");
        WeChatEnricher enricher = enricher(mpApiConfig(wm));

        assertThat(enricher.enrich(mpEvent("templatesendjobfinish.xml"))).isEmpty();
        assertThat(enricher.enrich(mpEvent("templatesendjobfinish.xml"))).isEmpty();
        wm.verify(1, getRequestedFor(urlPathEqualTo("/cgi-bin/user/info")));

        // Bound to an Open Platform account meanwhile: the next lookup finds the unionid.
        stubUserInfo("api/user-info.json");
        ctx.mutableClock().advance(Duration.ofHours(1).plusSeconds(1));
        assertThat(enricher.enrich(mpEvent("templatesendjobfinish.xml"))).hasSize(1);
        wm.verify(2, getRequestedFor(urlPathEqualTo("/cgi-bin/user/info")));
    }

    @Test
    void apiDownIsTransientAndCachesNothing() {
        stubToken(wm);
        wm.stubFor(get(urlPathEqualTo("/cgi-bin/user/info")).willReturn(serverError()));
        WeChatEnricher enricher = enricher(mpApiConfig(wm));

        assertThatThrownBy(() -> enricher.enrich(mpEvent("templatesendjobfinish.xml"))).isInstanceOf(TransientException.class);

        stubUserInfo("api/user-info.json");
        assertThat(enricher.enrich(mpEvent("templatesendjobfinish.xml"))).hasSize(1);
    }

    @Test
    void unreachableApiIsTransient() {
        Map<String, String> config = mpApiConfig(wm);
        config.put("api-base-url", deadBaseUrl());

        assertThatThrownBy(() -> enricher(config).enrich(mpEvent("templatesendjobfinish.xml")))
                .isInstanceOf(TransientException.class);
    }

    @Test
    void linkEventsAreNotEnrichedAgain() {
        stubUserInfo("api/user-info.json");
        WeChatEnricher enricher = enricher(mpApiConfig(wm));
        CustomerEvent linked = enricher.enrich(mpEvent("templatesendjobfinish.xml")).get(0);
        ctx.tokens().invalidate("unionid:" + OPENID);

        assertThat(enricher.enrich(linked)).isEmpty();
        wm.verify(1, getRequestedFor(urlPathEqualTo("/cgi-bin/user/info")));
    }

    @Test
    void aFollowerWhoseUnionidThisNodeKnowsIsLinkedLocallyAsEnrichWouldLinkThem() {
        stubUserInfo("api/user-info.json");
        WeChatEnricher enricher = enricher(mpApiConfig(wm));
        CustomerEvent first = mpEvent("templatesendjobfinish.xml");

        // Before the first lookup this node cannot tell without asking WeChat.
        assertThat(enricher.enrichLocally(first)).isEmpty();
        enricher.enrich(first);

        CustomerEvent next = mpEvent("text-chinese.xml");
        List<CustomerEvent> local = enricher.enrichLocally(next).orElseThrow();
        assertThat(local).usingRecursiveComparison().isEqualTo(enricher.enrich(next));
        assertThat(local).extracting(CustomerEvent::id).containsExactly("wechat:" + APP_ID + ":unionid:" + OPENID);
        assertThat(local.get(0).time()).isEqualTo(next.time());
        wm.verify(1, getRequestedFor(urlPathEqualTo("/cgi-bin/user/info")));
    }

    @Test
    void aFollowerWithoutUnionidIsAnsweredLocallyForTenMinutesThenLookedUpAgain() {
        stubUserInfo("api/user-info-no-unionid.json");
        WeChatEnricher enricher = enricher(mpApiConfig(wm));
        enricher.enrich(mpEvent("templatesendjobfinish.xml"));

        assertThat(enricher.enrichLocally(mpEvent("text-chinese.xml"))).contains(List.of());

        // Binding the account to an Open Platform account can give them one: after a while the
        // enrich step reads the shared cache (and, once that expired, WeChat) again.
        ctx.mutableClock().advance(WeChatEnricher.NO_UNIONID_TRUSTED.plusSeconds(1));
        assertThat(enricher.enrichLocally(mpEvent("text-chinese.xml"))).isEmpty();
        wm.verify(1, getRequestedFor(urlPathEqualTo("/cgi-bin/user/info")));
    }

    @Test
    void linkEventsAndWeComDeletionsNeedNoEnrichmentWhileWeComAddsAndEditsAreAlwaysLookedUp() {
        wm.stubFor(get(urlPathEqualTo("/cgi-bin/gettoken")).willReturn(json("api/wecom-gettoken.json")));
        wm.stubFor(get(urlPathEqualTo("/cgi-bin/externalcontact/get")).willReturn(json("api/externalcontact-get.json")));
        WeChatEnricher wecom = enricher(wecomApiConfig(wm));
        CustomerEvent add = wecomEvent("wecom-add-external-contact.xml");
        CustomerEvent link = wecom.enrich(add).get(0);

        assertThat(wecom.enrichLocally(link)).contains(List.of());
        assertThat(wecom.enrichLocally(wecomEvent("wecom-del-external-contact.xml"))).contains(List.of());
        assertThat(wecom.enrichLocally(add)).isEmpty();
        assertThat(wecom.enrichLocally(wecomEvent("wecom-edit-external-contact.xml"))).isEmpty();
    }

    @Test
    void wecomContactLinksUnionidAndNotedPhones() {
        wm.stubFor(get(urlPathEqualTo("/cgi-bin/gettoken")).willReturn(json("api/wecom-gettoken.json")));
        wm.stubFor(get(urlPathEqualTo("/cgi-bin/externalcontact/get"))
                .withQueryParam("access_token", equalTo("WECOM_ACCESS_TOKEN"))
                .withQueryParam("external_userid", equalTo(EXTERNAL_USER))
                .willReturn(json("api/externalcontact-get.json")));

        List<CustomerEvent> linked = enricher(wecomApiConfig(wm)).enrich(wecomEvent("wecom-add-external-contact.xml"));

        assertThat(linked).hasSize(1);
        CustomerEvent event = linked.get(0);
        assertThat(event.id()).isEqualTo("wecom:" + CORP_ID + ":contact:" + EXTERNAL_USER + ":1403610513");
        assertThat(event.type()).isEqualTo(EventTypes.IDENTITY_LINKED);
        assertThat(event.data().identities()).containsExactly(
                Identity.of(IdentityTypes.WECOM_EXTERNAL_USERID, EXTERNAL_USER, CORP_ID).withEvidence(Evidence.VERIFIED),
                Identity.of(IdentityTypes.WECHAT_UNIONID, "ozynqsulJFCZ2z1aYeS8h-nuasdAAA").withEvidence(Evidence.VERIFIED),
                Identity.of(IdentityTypes.PHONE, "+8613800000001").withEvidence(Evidence.NOTED),
                Identity.of(IdentityTypes.PHONE, "+8613800000002").withEvidence(Evidence.NOTED));
        assertThat(event.data().attributes()).containsEntry("name", "李四").containsEntry("gender", "male");
        CanonicalEvents.assertValid(linked);
    }

    @Test
    void wecomEditIsEnrichedDeleteIsNot() {
        wm.stubFor(get(urlPathEqualTo("/cgi-bin/gettoken")).willReturn(json("api/wecom-gettoken.json")));
        wm.stubFor(get(urlPathEqualTo("/cgi-bin/externalcontact/get")).willReturn(json("api/externalcontact-get.json")));
        WeChatEnricher enricher = enricher(wecomApiConfig(wm));

        assertThat(enricher.enrich(wecomEvent("wecom-edit-external-contact.xml")))
                .extracting(CustomerEvent::id)
                .containsExactly("wecom:" + CORP_ID + ":contact:" + EXTERNAL_USER + ":1403610600");
        assertThat(enricher.enrich(wecomEvent("wecom-del-external-contact.xml"))).isEmpty();
        wm.verify(1, getRequestedFor(urlPathEqualTo("/cgi-bin/externalcontact/get")));
    }

    @Test
    void wecomContactThatIsGoneGivesNothing() {
        wm.stubFor(get(urlPathEqualTo("/cgi-bin/gettoken")).willReturn(json("api/wecom-gettoken.json")));
        wm.stubFor(get(urlPathEqualTo("/cgi-bin/externalcontact/get")).willReturn(error(84061, "not external contact")));

        assertThat(enricher(wecomApiConfig(wm)).enrich(wecomEvent("wecom-add-external-contact.xml"))).isEmpty();
    }

    @Test
    void wecomApiDownIsTransient() {
        wm.stubFor(get(urlPathEqualTo("/cgi-bin/gettoken")).willReturn(json("api/wecom-gettoken.json")));
        wm.stubFor(get(urlPathEqualTo("/cgi-bin/externalcontact/get")).willReturn(serverError()));

        assertThatThrownBy(() -> enricher(wecomApiConfig(wm)).enrich(wecomEvent("wecom-add-external-contact.xml")))
                .isInstanceOf(TransientException.class);
    }
}
