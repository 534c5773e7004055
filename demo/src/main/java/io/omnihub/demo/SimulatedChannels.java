package io.omnihub.demo;

/** Every simulated channel of the demo, and the brand's own systems. */
record SimulatedChannels(WeChatChannel wechat, DouyinChannel douyin, DoudianChannel doudian, TopChannel top,
                         PospalChannel pospal, KingdeeChannel kingdee, AliyunSmsChannel sms, MailChannel mail,
                         BrandSystems systems) {
}
