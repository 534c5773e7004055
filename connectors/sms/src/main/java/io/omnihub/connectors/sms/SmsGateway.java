package io.omnihub.connectors.sms;

/** The vendor's send API, one implementation per {@link SmsConfig.Kind}. */
interface SmsGateway {

    /**
     * Sends one message.
     *
     * @return the vendor's id for it (Aliyun's {@code BizId}, Tencent's {@code SerialNo}), which its
     *     delivery receipts name
     * @throws io.omnihub.connector.errors.ConnectorException typed as the vendor's answer says
     */
    String send(SmsMessage message);

    /**
     * One cheap authenticated call that proves the credentials.
     *
     * @throws io.omnihub.connector.errors.ConnectorException when the vendor refuses them or cannot be reached
     */
    void checkCredentials();
}
