package io.omnihub.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The brand's day keeps every channel busy early, and its people are told apart by what the channels know. */
class BrandDayTest {

    static final Set<String> INSTANCES = Set.of("wechat/brand-oa", "wechat/brand-corp", "douyin/brand-douyin",
            "douyin/flagship-shop", "tmall/flagship", "pos/stores", "erp/kingdee");

    @Test
    void everyInstanceHasASceneInTheFirstFifthOfTheDayAndAgainAtLeastEveryThirdOfItAndTheScenesAreInOrder() {
        BrandAccounts accounts = new BrandAccounts();
        Cast cast = new Cast();
        SimulatedChannels channels = new SimulatedChannels(new WeChatChannel(accounts, cast), new DouyinChannel(accounts),
                new DoudianChannel(accounts), new TopChannel(), new PospalChannel(cast), new KingdeeChannel(), new BrandSystems());
        List<BrandDay.Scene> scenes = new BrandDay(cast, channels, new HubClient("http://127.0.0.1:9", "u", "p")).scenes();

        Set<String> early = new TreeSet<>();
        scenes.stream().filter(s -> s.at() <= 0.2).forEach(s -> early.add(s.channel()));
        assertThat(early).containsAll(INSTANCES);
        assertThat(scenes).extracting(BrandDay.Scene::at).isSorted().allSatisfy(at -> assertThat(at).isBetween(0.0, 1.0));
        for (String instance : INSTANCES) {
            List<Double> at = scenes.stream().filter(s -> s.channel().equals(instance)).map(BrandDay.Scene::at).toList();
            for (int i = 0; i < at.size(); i++) {
                double next = i + 1 < at.size() ? at.get(i + 1) : at.get(0) + 1;
                assertThat(next - at.get(i)).as("%s is quiet from %s of the day", instance, at.get(i)).isLessThanOrEqualTo(0.36);
            }
        }
        assertThat(accounts.instances("http://127.0.0.1:1234").entrySet().stream()
                .flatMap(c -> c.getValue().keySet().stream().map(i -> c.getKey() + "/" + i)).toList())
                .containsExactlyInAnyOrderElementsOf(INSTANCES);
    }

    @Test
    void thePeopleHaveDistinctIdsThatStayTheSameFromRunToRun() {
        Cast cast = new Cast();
        Set<String> ids = new TreeSet<>();
        for (Person p : cast.everyone) {
            for (String id : new String[] {p.openid(), p.unionid(), p.externalUserId(), p.douyinOpenId(), p.doudianOpenId(),
                    p.tmallOuid(), p.posCustomerUid(), p.memberCard(), p.phone()}) {
                if (id != null) {
                    assertThat(ids.add(id)).as("%s's id %s is unique", p.name(), id).isTrue();
                }
            }
        }
        assertThat(new Cast().wangFang.openid()).isEqualTo(cast.wangFang.openid()).hasSize(28);
        assertThat(Long.parseUnsignedLong(cast.wangFang.posCustomerUid())).isGreaterThan(1L << 53);
    }
}
