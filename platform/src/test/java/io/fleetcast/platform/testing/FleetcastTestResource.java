package io.fleetcast.platform.testing;

import io.fleetcast.platform.database.EmbeddedDatabase;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts a real PostgreSQL (embedded binaries, a fresh cluster per test run) and a real Keycloak
 * (shared by the run), picks free ports for the MQTT listeners and the LwM2M endpoints and gives the TLS listener a throwaway
 * certificate.
 */
public class FleetcastTestResource implements QuarkusTestResourceLifecycleManager {

    private EmbeddedDatabase database;

    @Override
    public Map<String, String> start() {
        database = EmbeddedDatabase.start(Path.of("target", "test-postgres"), true);
        Map<String, String> config = new HashMap<>(database.connectionProperties());
        config.put("fleetcast.mqtt.port", String.valueOf(freePort()));
        config.put("fleetcast.mqtt.host", "127.0.0.1");
        config.put("quarkus.oidc.auth-server-url", Keycloak.shared().realmUrl("fleetcast"));
        SelfSignedCertificate certificate = SelfSignedCertificate.create(Path.of("target", "test-tls"));
        config.put("fleetcast.mqtt.tls.port", String.valueOf(freePort()));
        config.put("fleetcast.mqtt.tls.certificate", certificate.certificate().toString());
        config.put("fleetcast.mqtt.tls.key", certificate.key().toString());
        config.put("fleetcast.lwm2m.host", "127.0.0.1");
        config.put("fleetcast.lwm2m.port", String.valueOf(freeUdpPort()));
        config.put("fleetcast.lwm2m.secure-port", String.valueOf(freeUdpPort()));
        return config;
    }

    @Override
    public void stop() {
        if (database != null) {
            database.close();
        }
    }

    static int freeUdpPort() {
        try (DatagramSocket socket = new DatagramSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
