package io.fleetcast.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetcast.protocol.InstalledApp;
import io.fleetcast.protocol.ReportedState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigTest {

    @TempDir
    Path dir;

    private final Map<String, String> env = new HashMap<>(Map.of(
            "FLEETCAST_SERVER_URI", "tcp://localhost:1883",
            "FLEETCAST_CLAIM_TOKEN", "claim-1.s3cret",
            "FLEETCAST_DEVICE_SERIAL", "SN-0001",
            "FLEETCAST_DEVICE_FIRMWARE_VERSION", "4.2.0",
            "FLEETCAST_STATE_DIR", "/var/lib/fleetcast"));

    @Test
    void loads_config_with_env_overriding_file() throws IOException {
        Path file = properties(
                "server.uri=tcp://file-host:1883",
                "device.serial=SN-FILE",
                "device.firmware-version=1.0.0",
                "device.active-slot=b",
                "device.capabilities=4k, voice",
                "device.apps=netflix:5.1,youtube:2.0",
                "state.dir=/tmp/from-file",
                "keep-alive-seconds=30",
                "reconnect.initial-delay-ms=200",
                "reconnect.max-delay-ms=5000");
        Map<String, String> overrides = Map.of(
                "FLEETCAST_SERVER_URI", "ssl://env-host:8883",
                "FLEETCAST_RECONNECT_MAX_DELAY_MS", "9000",
                "FLEETCAST_DEVICE_ACTIVE_SLOT", "  ",
                "UNRELATED", "x");

        AgentConfig config = AgentConfig.load(file, overrides);

        assertThat(config.serverUri()).isEqualTo("ssl://env-host:8883");
        assertThat(config.reconnectMaxDelay()).isEqualTo(Duration.ofMillis(9000));
        assertThat(config.activeSlot()).as("blank env values count as unset").isEqualTo("b");
        assertThat(config.serial()).isEqualTo("SN-FILE");
        assertThat(config.capabilities()).containsExactly("4k", "voice");
        assertThat(config.apps())
                .containsExactly(new InstalledApp("netflix", "5.1"), new InstalledApp("youtube", "2.0"));
        assertThat(config.stateDir()).isEqualTo(Path.of("/tmp/from-file"));
        assertThat(config.keepAlive()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.reconnectInitialDelay()).isEqualTo(Duration.ofMillis(200));
        assertThat(config.claimToken()).isEmpty();
    }

    @Test
    void loads_config_from_env_alone_with_defaults() {
        AgentConfig config = AgentConfig.load(null, env);

        assertThat(config.serverUri()).isEqualTo("tcp://localhost:1883");
        assertThat(config.claimToken()).contains("claim-1.s3cret");
        assertThat(config.activeSlot()).isEqualTo("a");
        assertThat(config.keepAlive()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.reconnectInitialDelay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.reconnectMaxDelay()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.initialState()).isEqualTo(new ReportedState("4.2.0", "a", List.of(), List.of()));
    }

    @Test
    void rejects_config_without_server_uri() {
        env.remove("FLEETCAST_SERVER_URI");

        assertThatThrownBy(() -> AgentConfig.load(null, env))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("server.uri (FLEETCAST_SERVER_URI) is required");
    }

    @Test
    void reports_every_invalid_value_naming_its_key() {
        env.put("FLEETCAST_SERVER_URI", "http://localhost");
        env.put("FLEETCAST_DEVICE_SERIAL", "has spaces");
        env.put("FLEETCAST_KEEP_ALIVE_SECONDS", "sixty");
        env.put("FLEETCAST_DEVICE_APPS", "netflix");
        env.put("FLEETCAST_RECONNECT_INITIAL_DELAY_MS", "5000");
        env.put("FLEETCAST_RECONNECT_MAX_DELAY_MS", "1000");
        env.remove("FLEETCAST_STATE_DIR");

        assertThatThrownBy(() -> AgentConfig.load(null, env))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("server.uri (FLEETCAST_SERVER_URI) must look like tcp://host:port")
                .hasMessageContaining("device.serial (FLEETCAST_DEVICE_SERIAL)")
                .hasMessageContaining("keep-alive-seconds (FLEETCAST_KEEP_ALIVE_SECONDS) must be a whole number")
                .hasMessageContaining("device.apps (FLEETCAST_DEVICE_APPS) entries must look like id:version")
                .hasMessageContaining("reconnect.max-delay-ms (FLEETCAST_RECONNECT_MAX_DELAY_MS) must be at least")
                .hasMessageContaining("state.dir (FLEETCAST_STATE_DIR) is required");
    }

    @Test
    void rejects_malformed_claim_token_without_revealing_it() {
        env.put("FLEETCAST_CLAIM_TOKEN", "no-separator-s3cret");

        assertThatThrownBy(() -> AgentConfig.load(null, env))
                .hasMessageContaining("claim.token (FLEETCAST_CLAIM_TOKEN) must look like <claimId>.<secret>")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void rejects_unreadable_config_file() {
        assertThatThrownBy(() -> AgentConfig.load(dir.resolve("missing.properties"), env))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot read config file");
    }

    @Test
    void keeps_the_claim_secret_out_of_toString() {
        AgentConfig config = AgentConfig.load(null, env);

        assertThat(config.toString()).contains("claim-1.***").doesNotContain("s3cret");
    }

    @Test
    void builder_applies_the_same_validation() {
        assertThatThrownBy(() -> AgentConfig.builder()
                        .serverUri("tcp://localhost:1883")
                        .serial("SN-1")
                        .firmwareVersion("1.0")
                        .stateDir(dir)
                        .capabilities(List.of("has space"))
                        .build())
                .hasMessageContaining("device.capabilities (FLEETCAST_DEVICE_CAPABILITIES)");
    }

    private Path properties(String... lines) throws IOException {
        Path file = dir.resolve("agent.properties");
        Files.write(file, List.of(lines));
        return file;
    }
}
