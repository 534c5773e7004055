package io.omnihub.hub.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omnihub.hub.HubApplication;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;

/**
 * Demo mode never starts against real channels, nor without its simulator: it is refused before
 * anything of the hub starts (no database, no broker, no instance opened).
 */
class DemoModeRefusalTest {

    @Test
    void anInstanceConfiguredAgainstARealChannelRefusesDemoModeNamingIt() {
        assertThatThrownBy(() -> start("--hub.connectors.wechat.brand-oa.kind=mp", "--hub.connectors.wechat.brand-oa.app-id=wx1",
                "--hub.connectors.wechat.brand-oa.token=t", "--hub.connectors.erp.kingdee.base-url=https://erp.example.com/k3cloud"))
                .isInstanceOf(DemoRefusedException.class)
                .hasMessageContaining("wechat/brand-oa (it names no address, so its connector uses the channel's real one)")
                .hasMessageContaining("erp/kingdee (base-url https://erp.example.com/k3cloud is not on this machine)");
    }

    @Test
    void withoutItsSimulatorDemoModeSaysHowToBuildIt() {
        assertThatThrownBy(() -> start("--hub.demo.simulator-jar=" + Path.of("target", "no-such-simulator.jar")))
                .isInstanceOf(DemoRefusedException.class)
                .hasMessageContaining("the demo's channel simulator is not at")
                .satisfies(e -> assertThat(((DemoRefusedException) e).action()).contains("./mvnw -B -DskipTests package"));
    }

    @Test
    void aBrandsDayShorterThanTenSecondsIsRefusedBeforeTheSimulatorStarts() {
        assertThatThrownBy(() -> start("--hub.demo.day-length=5s", "--hub.demo.simulator-jar=" + Path.of("target", "no-such-simulator.jar")))
                .isInstanceOf(DemoRefusedException.class)
                .hasMessageContaining("hub.demo.day-length is 5000 ms")
                .satisfies(e -> assertThat(((DemoRefusedException) e).action()).contains("10s or more"));
    }

    @Test
    void localAddressesAndFoldersAreOnThisMachineAndEverythingElseIsNot() {
        assertThat(OffMachineInstances.find(Map.of("pos", Map.of(
                "drop", Map.of("source", "csv-folder", "folder", "/srv/pos"),
                "cloud", Map.of("api-base-url", "http://127.0.0.1:8089/pospal"),
                "v6", Map.of("api-base-url", "http://[::1]:8089"),
                "named", Map.of("api-base-url", "http://localhost:1")))))
                .isEmpty();
        assertThat(OffMachineInstances.find(Map.of("tmall", Map.of(
                "real", Map.of("app-key", "1", "api-base-url", "https://gw.api.taobao.com/router/rest"),
                "sneaky", Map.of("api-base-url", "http://127.0.0.1.evil.example/"),
                "bare", Map.of("app-key", "1")))))
                .hasSize(3);
    }

    @Test
    void smsAndEmailInstancesReachOnlyALocalVendorEndpointOrMailServer() {
        assertThat(OffMachineInstances.find(Map.of(
                "sms", Map.of("simulated", Map.of("kind", "aliyun", "access-key-id", "LTAI", "api-base-url", "http://127.0.0.1:8089/aliyun-sms")),
                "email", Map.of("relay", Map.of("smtp-host", "127.0.0.1", "smtp-port", "2525", "smtp-security", "none",
                        "public-base-url", "http://127.0.0.1:8080")))))
                .isEmpty();
        assertThat(OffMachineInstances.find(Map.of(
                "sms", Map.of("aliyun", Map.of("kind", "aliyun", "access-key-id", "LTAI", "callback-key", "k")),
                "email", Map.of("news", Map.of("smtp-host", "smtpdm.aliyun.com", "public-base-url", "http://127.0.0.1:8080")))))
                .containsExactlyInAnyOrder("sms/aliyun (it names no address, so its connector uses the channel's real one)",
                        "email/news (smtp-host smtpdm.aliyun.com is not on this machine)");
    }

    private static void start(String... args) {
        SpringApplication application = new SpringApplication(HubApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        String[] all = new String[args.length + 2];
        all[0] = "--hub.demo.enabled=true";
        all[1] = "--hub.data-dir=" + Path.of("target", "demo-refused");
        System.arraycopy(args, 0, all, 2, args.length);
        application.run(all).close();
    }
}
