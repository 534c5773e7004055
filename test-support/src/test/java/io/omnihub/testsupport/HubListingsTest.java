package io.omnihub.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class HubListingsTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aPluginIsFoundByItsIdAndAnUnknownIdIsNull() throws Exception {
        JsonNode plugins = JSON.readTree("""
                [{"id":"wechat","state":"STARTED"},{"id":"pos","state":"STOPPED"}]""");

        assertThat(HubListings.plugin(plugins, "pos").path("state").asText()).isEqualTo("STOPPED");
        assertThat(HubListings.plugin(plugins, "tmall")).isNull();
    }

    @Test
    void anInstanceIsFoundUnderItsOwnConnectorOnly() throws Exception {
        JsonNode connectors = JSON.readTree("""
                [{"id":"wechat","instances":[{"instance":"brand-oa","state":"RUNNING"}]},
                 {"id":"sms","instances":[{"instance":"aliyun","state":"FAILED"},{"instance":"brand-oa","state":"PAUSED"}]}]""");

        assertThat(HubListings.instance(connectors, "wechat", "brand-oa").path("state").asText()).isEqualTo("RUNNING");
        assertThat(HubListings.instance(connectors, "sms", "brand-oa").path("state").asText()).isEqualTo("PAUSED");
        assertThat(HubListings.instance(connectors, "wechat", "aliyun")).isNull();
        assertThat(HubListings.instance(connectors, "email", "brand-oa")).isNull();
    }
}
