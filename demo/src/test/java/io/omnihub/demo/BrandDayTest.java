package io.omnihub.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The brand's day keeps every channel busy early, and its people are told apart by what the channels know. */
class BrandDayTest {

    /** The instances the channels push to or the hub polls: busy all day. */
    static final Set<String> INBOUND = Set.of("wechat/brand-oa", "wechat/brand-corp", "douyin/brand-douyin",
            "douyin/flagship-shop", "tmall/flagship", "pos/stores", "erp/kingdee");
    /** The instances the hub sends through: their receipts follow the hub's sends; the day adds a reply and an unsubscribe. */
    static final Set<String> OUTBOUND = Set.of("sms/brand-sms", "email/brand-mail");

    @Test
    void everyInboundInstanceHasASceneInTheFirstFifthOfTheDayAndAgainAtLeastEveryThirdOfItAndTheScenesAreInOrder() {
        BrandAccounts accounts = new BrandAccounts();
        Cast cast = new Cast();
        SimulatedChannels channels = new SimulatedChannels(new WeChatChannel(accounts, cast), new DouyinChannel(accounts),
                new DoudianChannel(accounts), new TopChannel(), new PospalChannel(cast), new KingdeeChannel(),
                new AliyunSmsChannel(accounts, cast), new MailChannel(), new BrandSystems());
        List<BrandDay.Scene> scenes = new BrandDay(cast, channels, new HubClient("http://127.0.0.1:9", "u", "p")).scenes();

        Set<String> early = new TreeSet<>();
        scenes.stream().filter(s -> s.at() <= 0.2).forEach(s -> early.add(s.channel()));
        assertThat(early).containsAll(INBOUND);
        assertThat(scenes).extracting(BrandDay.Scene::at).isSorted().allSatisfy(at -> assertThat(at).isBetween(0.0, 1.0));
        for (String instance : INBOUND) {
            List<Double> at = scenes.stream().filter(s -> s.channel().equals(instance)).map(BrandDay.Scene::at).toList();
            for (int i = 0; i < at.size(); i++) {
                double next = i + 1 < at.size() ? at.get(i + 1) : at.get(0) + 1;
                assertThat(next - at.get(i)).as("%s is quiet from %s of the day", instance, at.get(i)).isLessThanOrEqualTo(0.36);
            }
        }
        assertThat(scenes).extracting(BrandDay.Scene::channel).containsAll(OUTBOUND);
        // the consent the demo's journey confirms comes before the reply and the unsubscribe
        double consent = scenes.stream().filter(s -> s.what().contains("agrees to marketing")).mapToDouble(BrandDay.Scene::at).min()
                .orElseThrow();
        assertThat(scenes).filteredOn(s -> OUTBOUND.contains(s.channel())).allSatisfy(s -> assertThat(s.at()).isGreaterThan(consent + 0.05));
        assertThat(accounts.instances("http://127.0.0.1:1234", 2525).entrySet().stream()
                .flatMap(c -> c.getValue().keySet().stream().map(i -> c.getKey() + "/" + i)).toList())
                .containsExactlyInAnyOrderElementsOf(union(INBOUND, OUTBOUND));
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    @Test
    void thePeopleHaveDistinctIdsThatStayTheSameFromRunToRun() {
        Cast cast = new Cast();
        Set<String> ids = new TreeSet<>();
        for (Person p : cast.everyone) {
            for (String id : new String[] {p.openid(), p.unionid(), p.externalUserId(), p.douyinOpenId(), p.doudianOpenId(),
                    p.tmallOuid(), p.posCustomerUid(), p.memberCard(), p.phone(), p.email()}) {
                if (id != null) {
                    assertThat(ids.add(id)).as("%s's id %s is unique", p.name(), id).isTrue();
                }
            }
        }
        assertThat(new Cast().wangFang.openid()).isEqualTo(cast.wangFang.openid()).hasSize(28);
        assertThat(Long.parseUnsignedLong(cast.wangFang.posCustomerUid())).isGreaterThan(1L << 53);
    }
}
