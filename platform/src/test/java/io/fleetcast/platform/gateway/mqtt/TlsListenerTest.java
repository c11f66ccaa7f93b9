package io.fleetcast.platform.gateway.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetcast.platform.testing.Api;
import io.fleetcast.platform.testing.FleetcastTestResource;
import io.fleetcast.platform.testing.MqttDevices;
import io.fleetcast.platform.testing.MqttDevices.Identity;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.SecurityAttribute;
import io.quarkus.test.security.TestSecurity;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(FleetcastTestResource.class)
@TestSecurity(
        user = "maker",
        roles = "manufacturer-admin",
        attributes = @SecurityAttribute(key = "tenant", value = "acme"))
class TlsListenerTest {

    @Test
    void device_connects_over_tls_with_its_credential() throws Exception {
        Identity identity =
                MqttDevices.provisioned(Api.createClaim(Api.createModel(Api.unique("tv")), 5), Api.unique("SN"));

        MqttAsyncClient device = connectOverTls(identity, identity.credential());

        assertThat(device.isConnected()).isTrue();
        MqttDevices.close(device);
    }

    @Test
    void refuses_a_wrong_credential_over_tls() throws Exception {
        Identity identity =
                MqttDevices.provisioned(Api.createClaim(Api.createModel(Api.unique("tv")), 5), Api.unique("SN"));

        assertThatThrownBy(() -> connectOverTls(identity, "wrong"))
                .isInstanceOfSatisfying(
                        MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(0x86));
    }

    private static MqttAsyncClient connectOverTls(Identity identity, String credential) throws Exception {
        int port = ConfigProvider.getConfig().getValue("fleetcast.mqtt.tls.port", Integer.class);
        MqttAsyncClient client =
                new MqttAsyncClient("ssl://127.0.0.1:" + port, identity.deviceId(), new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(identity.deviceId());
        options.setPassword(credential.getBytes(StandardCharsets.UTF_8));
        options.setSocketFactory(
                trusting(Path.of(ConfigProvider.getConfig().getValue("fleetcast.mqtt.tls.certificate", String.class)))
                        .getSocketFactory());
        client.connect(options).waitForCompletion(10_000);
        return client;
    }

    /** Trusts exactly the gateway's test certificate. */
    private static SSLContext trusting(Path certificate) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(certificate)) {
            trust.setCertificateEntry(
                    "gateway", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
