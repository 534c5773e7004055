package io.omnihub.routes.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which webhook paths name a connector instance: {@code /hooks/<connector>/<instance>}, nothing more or less. */
class WebhookServletPathTest {

    @Test
    void connectorAndInstanceComeFromTheTwoSegments() {
        assertThat(WebhookServlet.pathOf("/wechat/brand-oa")).containsExactly("wechat", "brand-oa");
    }

    @Test
    void slashesAroundThePathAreIgnored() {
        assertThat(WebhookServlet.pathOf("//wechat/brand-oa/")).containsExactly("wechat", "brand-oa");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/", "///", "/wechat", "/wechat/", "/wechat//brand-oa", "/wechat/brand-oa/extra",
            "/ /brand-oa", "/wechat/ "})
    void anyOtherShapeNamesNoInstance(String pathInfo) {
        assertThat(WebhookServlet.pathOf(pathInfo)).isNull();
    }

    @Test
    void noPathInfoNamesNoInstance() {
        assertThat(WebhookServlet.pathOf(null)).isNull();
    }
}
