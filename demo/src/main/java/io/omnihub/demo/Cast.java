package io.omnihub.demo;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The people of the demo brand's day. Most use one or two channels; Wang Fang uses all of them, so
 * her profile shows what resolving identities across channels gives, on the evidence a real brand's
 * channels hold: her member phone (stated at the store, verified by the web shop's sign-in), the
 * unionid WeChat gives the Official Account and WeCom, and the marketplace orders she keeps sending to
 * her own phone. The gifts and the phones staff noted show what that evidence does not join. Phone
 * numbers are made up.
 */
final class Cast {

    /**
     * Follows the Official Account, is a WeCom contact, a store member, signs in to the web shop, buys
     * on 抖店 and Tmall twice each to her own phone; her running club is a customer of its own in the
     * ERP, with her phone noted as its contact.
     */
    final Person wangFang = person("wang-fang", "王芳", "13917260418", null, "SH-001",
            true, true, false, true, true, true, true);
    /** Leaves a lead on the web form inside the Official Account; later a store member. */
    final Person liLei = person("li-lei", "李雷", "13801742265", "east", null, true, false, false, false, false, true, false);
    /** Buys on Tmall for herself, and each day a gift for her mother. */
    final Person chenJing = person("chen-jing", "陈静", "13761904432", null, null, false, false, false, false, true, false, false);
    /** Chen Jing's mother: a store member, and the receiver of her daughter's gift. */
    final Person chenXiuying = person("chen-xiuying", "陈秀英", "13002187765", null, "SH-001", false, false, false, false, false, true, false);
    /** Buys on 抖店 for himself, and each day a pair of socks for Sun Yue. */
    final Person zhaoQiang = person("zhao-qiang", "赵强", "15921873306", null, null, false, false, false, true, false, false, false);
    /** Leaves a 1288 CNY cart in the web shop unpaid. */
    final Person liuYang = person("liu-yang", "刘洋", "18616025579", null, "SH-001", true, false, false, false, false, false, false);
    /** Opens a help-desk ticket that is resolved to her delight; a WeCom contact. */
    final Person sunYue = person("sun-yue", "孙悦", "13524667781", null, "SH-001", true, true, false, false, false, false, false);
    /** Writes to the brand's Douyin account, then buys on 抖店: two ids no channel links. */
    final Person zhouJie = person("zhou-jie", "周杰", "18817392204", null, null, false, false, true, true, false, false, false);
    /** Runs a running club that buys through the ERP and on Tmall. */
    final Person wuMin = person("wu-min", "吴敏", "13661285590", null, null, false, false, false, false, true, false, true);
    /** A store member the store keeps in touch with on WeCom. */
    final Person zhengHao = person("zheng-hao", "郑浩", "13391056628", null, "SH-001", false, true, false, false, false, true, false);
    /** A WeCom contact of the store who is also a member. */
    final Person huangLei = person("huang-lei", "黄蕾", "15000931147", null, "SH-001", false, true, false, false, false, true, false);

    final List<Person> everyone = List.of(wangFang, liLei, chenJing, chenXiuying, zhaoQiang, liuYang, sunYue, zhouJie, wuMin,
            zhengHao, huangLei);

    private static Person person(String key, String name, String phone, String region, String homeStore, boolean officialAccount,
                                 boolean weCom, boolean douyin, boolean doudian, boolean tmall, boolean posMember, boolean erp) {
        return new Person(key, name, phone, region, homeStore,
                new Person.Channels(officialAccount, weCom, douyin, doudian, tmall, posMember, erp));
    }

    Optional<Person> byOpenid(String openid) {
        return by(Person::openid, openid);
    }

    Optional<Person> byExternalUserId(String id) {
        return by(Person::externalUserId, id);
    }

    Optional<Person> byPosCustomerUid(String uid) {
        return by(Person::posCustomerUid, uid);
    }

    Optional<Person> byPhone(String phone) {
        return by(Person::phone, phone);
    }

    private Optional<Person> by(Function<Person, String> id, String value) {
        return value == null ? Optional.empty() : everyone.stream().filter(p -> Objects.equals(id.apply(p), value)).findFirst();
    }
}
