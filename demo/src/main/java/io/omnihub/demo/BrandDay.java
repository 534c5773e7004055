package io.omnihub.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A small brand's day, scene by scene: who does what on which channel, at which point of the day.
 * Every channel is busy within the first fifth of the day, and again at least every third of it,
 * so the hub's board moves on every instance early and keeps moving; leads, carts, tickets and the
 * churn model wake the shipped automation examples. The SMS and e-mail instances carry what the
 * hub sends (the demo's journey confirms each web-shop consent on both); the day adds a customer's
 * TD reply to an SMS and one mail's unsubscribe link used.
 * Each scene's channel ids carry the day's number, so the day can be played again and again.
 * The people join on the evidence a real brand's channels hold: Wang Fang's marketplace ids on her
 * second order of the day to her own phone; a gift giver's own order comes before each day's gift,
 * so the receiver's phone is never the one the buyer uses most, which would corroborate it.
 */
final class BrandDay {

    /**
     * One thing that happens.
     *
     * @param at       when, as a fraction of the day (0 opens the shop, 1 closes it)
     * @param channel  the instance (or system) it happens on, as operators see it
     * @param what     what happens, for the log
     * @param action   makes it happen against the hub, given the day's serial number (unique across
     *                 runs, so a day played again is new to the hub, not a redelivery)
     */
    record Scene(double at, String channel, String what, Consumer<Integer> action) {
    }

    private static final String JERSEY = "JERSEY-CLUB-01";

    private final List<Scene> scenes = new ArrayList<>();

    BrandDay(Cast cast, SimulatedChannels channels, HubClient hub) {
        WeChatChannel wechat = channels.wechat();
        DouyinChannel douyin = channels.douyin();
        DoudianChannel doudian = channels.doudian();
        TopChannel top = channels.top();
        PospalChannel pos = channels.pospal();
        KingdeeChannel erp = channels.kingdee();
        AliyunSmsChannel sms = channels.sms();
        MailChannel mail = channels.mail();
        BrandSystems systems = channels.systems();
        Person wang = cast.wangFang;
        TopChannel.Trade[] wangTrade = new TopChannel.Trade[1];
        TopChannel.Trade[] chenGift = new TopChannel.Trade[1];
        DoudianChannel.ShopOrder[] zhaoGift = new DoudianChannel.ShopOrder[1];

        scene(0.01, "wechat/brand-oa", "王芳 follows the Official Account", day -> wechat.follow(hub, wang));
        scene(0.03, "wechat/brand-oa", "王芳 asks about her member points",
                day -> wechat.message(hub, wang, "你好，我想查询会员积分", msgId(day, 1)));
        scene(0.05, "pos/stores", "王芳 buys trail shoes and socks at the store with her member card",
                day -> pos.sale(wang, sn(day, 1), List.of("越野跑鞋 女款 37码", "速干跑袜 三双装"), 117_800));
        scene(0.07, "douyin/flagship-shop", "赵强 orders a foam roller on 抖店",
                day -> doudian.orderPaid(hub, orderId(day, 4), cast.zhaoQiang, cast.zhaoQiang.phone(), "筋膜放松泡沫轴", 12_900));
        scene(0.09, "tmall/flagship", "王芳 pays for a running jacket in the Tmall shop",
                day -> wangTrade[0] = top.paid(tid(day, 1), wang, wang.phone(), "轻量防风跑步夹克 女款 M", 129_900));
        scene(0.11, "erp/kingdee", "the ERP records 王芳's running club as a customer",
                day -> erp.customer(wang, "上海澜湖跑团（王芳）"));
        scene(0.12, "tmall/flagship", "陈静 buys running tights for herself on Tmall",
                day -> top.paid(tid(day, 4), cast.chenJing, cast.chenJing.phone(), "跑步紧身裤 女款 S", 26_900));
        scene(0.13, "wechat/brand-corp", "a store clerk adds 王芳 on WeCom and notes her phone", day -> wechat.addContact(hub, wang));
        scene(0.15, "douyin/brand-douyin", "周杰 authorizes the brand's Douyin app", day -> douyin.authorize(hub, cast.zhouJie));
        scene(0.17, "douyin/brand-douyin", "周杰 asks on Douyin whether the shoes come in size 42",
                day -> douyin.message(hub, cast.zhouJie, "你好，请问这款跑鞋有 42 码吗？"));
        scene(0.18, "wechat/brand-oa", "李雷 follows the Official Account", day -> wechat.follow(hub, cast.liLei));
        scene(0.19, "web form", "李雷 leaves a lead on the spring expo form",
                day -> hub.events(systems.lead(cast.liLei, "spring-expo")));
        scene(0.20, "wechat/brand-oa", "刘洋 follows the Official Account", day -> wechat.follow(hub, cast.liuYang));
        scene(0.21, "web shop", "刘洋 agrees to marketing messages in the web shop", day -> hub.events(systems.consent(cast.liuYang)));
        scene(0.22, "web shop", "刘洋 fills a 1288 CNY cart in the web shop and leaves",
                day -> hub.events(systems.cart(cast.liuYang, "CART-" + day + "-0001", 128_800)));
        scene(0.24, "web shop", "王芳 signs in to the web shop with her member phone and agrees to marketing messages",
                day -> hub.events(systems.consent(wang)));
        scene(0.25, "tmall/flagship", "陈静 buys a pair of walking shoes on Tmall for her mother",
                day -> chenGift[0] = top.paid(tid(day, 2), cast.chenJing, cast.chenXiuying.phone(), "舒适健步鞋 女款 38码", 39_900));
        scene(0.28, "pos/stores", "陈秀英 buys a sports bottle at the store with her member card",
                day -> pos.sale(cast.chenXiuying, sn(day, 2), List.of("运动水壶 750ml"), 6_900));
        scene(0.29, "wechat/brand-oa", "孙悦 follows the Official Account", day -> wechat.follow(hub, cast.sunYue));
        scene(0.30, "help desk", "孙悦 opens a ticket: her order arrived in the wrong size",
                day -> hub.events(systems.ticket(cast.sunYue, "T-" + day + "-101", null)));
        scene(0.31, "wechat/brand-corp", "a store clerk adds 孙悦 on WeCom", day -> wechat.addContact(hub, cast.sunYue));
        scene(0.33, "douyin/flagship-shop", "王芳 orders energy gels on 抖店",
                day -> doudian.orderPaid(hub, orderId(day, 2), wang, wang.phone(), "能量胶 24支装", 23_900));
        scene(0.34, "sms/brand-sms", "刘洋 answers the brand's SMS with TD: no more marketing by SMS",
                day -> sms.reply(hub, cast.liuYang, "TD"));
        scene(0.35, "email/brand-mail", "刘洋 unsubscribes from the brand's mails with the link in his welcome mail",
                day -> mail.unsubscribe(hub, cast.liuYang));
        scene(0.36, "erp/kingdee", "the ERP books a 4200 CNY sales order of club jerseys for 王芳's running club",
                day -> erp.salesOrder(wang, 100_000 + day * 10L + 1, "XSDD" + day + "0001", JERSEY, "跑团定制队服", 40, 10_500, false));
        scene(0.38, "douyin/brand-douyin", "周杰 asks on Douyin when the shoes would ship",
                day -> douyin.message(hub, cast.zhouJie, "今天下单什么时候发货？"));
        scene(0.39, "tmall/flagship", "王芳 orders carbon-plate racing shoes in the Tmall shop, to her own phone again",
                day -> top.paid(tid(day, 5), wang, wang.phone(), "碳板竞速跑鞋 女款 37码", 169_900));
        scene(0.40, "help desk", "孙悦's ticket is resolved; she rates it 5",
                day -> hub.events(systems.ticket(cast.sunYue, "T-" + day + "-101", 5)));
        scene(0.42, "erp/kingdee", "the club jerseys are delivered and the sales order closed",
                day -> erp.salesOrder(wang, 100_000 + day * 10L + 1, "XSDD" + day + "0001", JERSEY, "跑团定制队服", 40, 10_500, true));
        scene(0.44, "pos/stores", "王芳 buys a headlamp at the store",
                day -> pos.sale(wang, sn(day, 3), List.of("夜跑头灯"), 15_900));
        scene(0.45, "douyin/flagship-shop", "王芳 orders a trail running vest on 抖店, to her own phone again",
                day -> doudian.orderPaid(hub, orderId(day, 5), wang, wang.phone(), "越野跑背包 12L", 89_900));
        scene(0.46, "wechat/brand-oa", "孙悦 asks on the Official Account how to exchange her order",
                day -> wechat.message(hub, cast.sunYue, "请问换货需要带小票吗？", msgId(day, 4)));
        scene(0.47, "churn model", "the churn model rates 王芳 at risk (86)", day -> hub.events(systems.churnRisk(wang, 86)));
        scene(0.50, "erp/kingdee", "the ERP records 吴敏's running club as a customer",
                day -> erp.customer(cast.wuMin, "浦东夜跑团（吴敏）"));
        scene(0.51, "douyin/flagship-shop", "赵强 orders running socks on 抖店, a gift sent to 孙悦",
                day -> zhaoGift[0] = doudian.orderPaid(hub, orderId(day, 1), cast.zhaoQiang, cast.sunYue.phone(),
                        "速干跑袜 三双装", 9_900));
        scene(0.52, "erp/kingdee", "the ERP books 8600 CNY of race kits for 吴敏's club",
                day -> erp.salesOrder(cast.wuMin, 100_000 + day * 10L + 2, "XSDD" + day + "0002", "RACE-KIT-01", "赛事装备包", 20, 43_000, true));
        scene(0.54, "tmall/flagship", "吴敏 buys a GPS watch on Tmall",
                day -> top.paid(tid(day, 3), cast.wuMin, cast.wuMin.phone(), "GPS 运动手表", 189_900));
        scene(0.56, "wechat/brand-corp", "a store clerk adds 黄蕾 on WeCom and notes her phone",
                day -> wechat.addContact(hub, cast.huangLei));
        scene(0.58, "pos/stores", "黄蕾 buys a yoga mat at the store", day -> pos.sale(cast.huangLei, sn(day, 4), List.of("瑜伽垫 6mm"), 19_900));
        scene(0.60, "pos/stores", "郑浩 buys compression tights at the store",
                day -> pos.sale(cast.zhengHao, sn(day, 5), List.of("压缩紧身裤 男款 L"), 29_900));
        scene(0.62, "pos/stores", "a walk-in customer buys a cap", day -> pos.sale(null, sn(day, 6), List.of("速干跑步帽"), 7_900));
        scene(0.64, "wechat/brand-oa", "李雷 asks about the weekend run",
                day -> wechat.message(hub, cast.liLei, "请问周末门店有跑团活动吗？", msgId(day, 2)));
        scene(0.66, "douyin/brand-douyin", "周杰 thanks the brand on Douyin", day -> douyin.message(hub, cast.zhouJie, "好的，谢谢！"));
        scene(0.68, "douyin/flagship-shop", "周杰 buys the size-42 shoes on 抖店",
                day -> doudian.orderPaid(hub, orderId(day, 3), cast.zhouJie, cast.zhouJie.phone(), "轻量缓震跑鞋 男款 42码", 59_900));
        scene(0.72, "tmall/flagship", "the Tmall shop ships 王芳's jacket", day -> top.shipped(wangTrade[0]));
        scene(0.76, "douyin/flagship-shop", "the 抖店 shop ships 赵强's gift", day -> doudian.shipped(hub, zhaoGift[0]));
        scene(0.78, "erp/kingdee", "the ERP updates 王芳's running club record", day -> erp.customer(wang, "上海澜湖跑团（王芳，会长）"));
        scene(0.80, "tmall/flagship", "the Tmall shop ships 陈静's gift", day -> top.shipped(chenGift[0]));
        scene(0.82, "wechat/brand-corp", "a store clerk adds 郑浩 on WeCom", day -> wechat.addContact(hub, cast.zhengHao));
        scene(0.85, "wechat/brand-oa", "王芳 thanks the store on the Official Account",
                day -> wechat.message(hub, wang, "夹克收到了，很合身，谢谢！", msgId(day, 3)));
        scene(0.88, "douyin/brand-douyin", "周杰 shares his run on Douyin", day -> douyin.message(hub, cast.zhouJie, "新鞋第一次跑了10公里，很舒服"));
        scene(0.90, "tmall/flagship", "王芳 confirms she received her jacket", day -> top.finished(wangTrade[0]));
        scene(0.93, "erp/kingdee", "the ERP books a 2300 CNY order of club caps for 吴敏's club",
                day -> erp.salesOrder(cast.wuMin, 100_000 + day * 10L + 3, "XSDD" + day + "0003", "CAP-RUN-01", "速干跑步帽", 46, 5_000, false));
        scene(0.95, "pos/stores", "李雷 joins the store's members and buys running shorts",
                day -> pos.sale(cast.liLei, sn(day, 7), List.of("跑步短裤 男款 L"), 15_900));
    }

    private void scene(double at, String channel, String what, Consumer<Integer> action) {
        scenes.add(new Scene(at, channel, what, action));
    }

    List<Scene> scenes() {
        return List.copyOf(scenes);
    }

    private static long msgId(int day, int n) {
        return 24_321_987_654_000_000L + day * 1_000L + n;
    }

    private static String sn(int day, int n) {
        return "20" + String.format("%07d%04d", day, n) + "0010001";
    }

    private static String orderId(int day, int n) {
        return "6930000" + String.format("%07d%05d", day, n * 10);
    }

    private static String tid(int day, int n) {
        return "3712000" + String.format("%07d%05d", day, n);
    }
}
