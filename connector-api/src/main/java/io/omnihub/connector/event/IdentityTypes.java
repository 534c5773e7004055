package io.omnihub.connector.event;

/** The identity types the CRM core understands. */
public final class IdentityTypes {

    /** A phone number in E.164, global. */
    public static final String PHONE = "phone";
    /** An e-mail address, lowercased, global. */
    public static final String EMAIL = "email";
    /** A WeChat unionid: one person across every app of one Open Platform account. */
    public static final String WECHAT_UNIONID = "wechat_unionid";
    /** A WeChat openid, namespaced by the appid it belongs to. */
    public static final String WECHAT_OPENID = "wechat_openid";
    /** A WeCom external contact id, namespaced by corpid. */
    public static final String WECOM_EXTERNAL_USERID = "wecom_external_userid";
    /** A Douyin open_id, namespaced by client_key. */
    public static final String DOUYIN_OPENID = "douyin_openid";
    /** A 抖店 buyer id ({@code doudian_open_id}), namespaced by shop. */
    public static final String DOUDIAN_OPENID = "doudian_openid";
    /** A Tmall/Taobao buyer open uid, namespaced by seller. */
    public static final String TMALL_OUID = "tmall_ouid";
    /** A loyalty member card number. */
    public static final String MEMBER_CARD = "member_card";
    /** A customer number in the ERP. */
    public static final String ERP_CUSTOMER = "erp_customer";
    /** A device id; weak, linked with care. */
    public static final String DEVICE_ID = "device_id";

    private IdentityTypes() {
    }
}
