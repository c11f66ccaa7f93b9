package io.fleetcast.platform.certificate;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.fleetcast.platform.testing.Api;
import io.fleetcast.platform.testing.Callers;
import io.fleetcast.platform.testing.DeviceKeys;
import io.fleetcast.platform.testing.FleetcastTestResource;
import io.fleetcast.platform.testing.MqttDevices;
import io.fleetcast.platform.testing.Tenants;
import io.fleetcast.protocol.CertificateRequest;
import io.fleetcast.protocol.CertificateResponse;
import io.fleetcast.protocol.Json;
import io.fleetcast.protocol.ProvisionRequest;
import io.fleetcast.protocol.ProvisionResponse;
import io.fleetcast.protocol.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.SecurityAttribute;
import io.quarkus.test.security.TestSecurity;
import jakarta.inject.Inject;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Test;

/** Device certificates over real TLS sockets: issuance, mutual TLS, refusals, revocation, rotation. */
@QuarkusTest
@QuarkusTestResource(FleetcastTestResource.class)
@TestSecurity(
        user = "maker",
        roles = "manufacturer-admin",
        attributes = @SecurityAttribute(key = "tenant", value = "acme"))
class DeviceCertificateTest {

    @Inject
    DeviceCertificates certificates;

    /** A device provisioned with a CSR: its key and the chain it got. */
    record CertifiedDevice(String deviceId, KeyPair key, List<X509Certificate> chain) {}

    @Test
    void issues_a_certificate_chaining_to_the_tenant_ca_at_provisioning() throws Exception {
        CertifiedDevice device = provisionWithCsr();

        X509Certificate certificate = device.chain().get(0);
        X509Certificate ca = device.chain().get(1);
        assertThat(device.chain()).hasSize(2);
        assertThat(Subjects.commonName(certificate)).isEqualTo(device.deviceId());
        certificate.verify(ca.getPublicKey());
        ca.verify(ca.getPublicKey());
        assertThat(ca.getBasicConstraints()).isZero();
        assertThat(certificate.getNotAfter().toInstant()).isAfter(Instant.now().plus(Duration.ofDays(364)));
        given().get("/api/v1/devices/" + device.deviceId() + "/certificates")
                .then()
                .statusCode(200)
                .body("$", hasSize(1))
                .body("[0].status", equalTo("VALID"));
    }

    @Test
    void device_connects_over_mutual_tls_without_a_password() throws Exception {
        CertifiedDevice device = provisionWithCsr();

        MqttAsyncClient client =
                DeviceKeys.connect(device.deviceId(), device.key(), device.chain(), new MqttDevices.Callback());

        assertThat(client.isConnected()).isTrue();
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> Api.device(device.deviceId()).body("online", equalTo(true)));
        MqttDevices.close(client);
    }

    @Test
    void refuses_a_certificate_of_a_foreign_ca_at_the_handshake() throws Exception {
        CertifiedDevice device = provisionWithCsr();
        KeyPair key = DeviceKeys.newKey();

        assertThatThrownBy(() -> DeviceKeys.connect(
                        device.deviceId(),
                        key,
                        DeviceKeys.foreignChain(key, device.deviceId()),
                        new MqttDevices.Callback()))
                .isInstanceOfSatisfying(
                        MqttException.class, e -> assertThat(e.getReasonCode()).isGreaterThan(0xFF));
    }

    @Test
    void refuses_an_expired_certificate() throws Exception {
        CertifiedDevice device = provisionWithCsr();
        KeyPair key = DeviceKeys.newKey();
        Instant now = Instant.now();
        String chain = certificates
                .issue(
                        "acme",
                        UUID.fromString(device.deviceId()),
                        DeviceCsr.parse(DeviceKeys.csr(key, device.deviceId())),
                        now.minus(Duration.ofDays(2)),
                        now.minus(Duration.ofDays(1)))
                .await()
                .atMost(Duration.ofSeconds(10));

        assertThatThrownBy(() ->
                        DeviceKeys.connect(device.deviceId(), key, DeviceKeys.chain(chain), new MqttDevices.Callback()))
                .isInstanceOfSatisfying(
                        MqttException.class, e -> assertThat(e.getReasonCode()).isGreaterThan(0xFF));
    }

    @Test
    void refuses_a_client_id_other_than_the_certificate_name_with_0x85() throws Exception {
        CertifiedDevice device = provisionWithCsr();
        CertifiedDevice other = provisionWithCsr();

        assertThatThrownBy(() ->
                        DeviceKeys.connect(other.deviceId(), device.key(), device.chain(), new MqttDevices.Callback()))
                .isInstanceOfSatisfying(
                        MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(0x85));
    }

    @Test
    void revoking_cuts_a_live_session_off_and_refuses_reconnects_with_0x87() throws Exception {
        CertifiedDevice device = provisionWithCsr();
        MqttDevices.Callback callback = new MqttDevices.Callback();
        MqttAsyncClient client = DeviceKeys.connect(device.deviceId(), device.key(), device.chain(), callback);

        given().post("/api/v1/devices/" + device.deviceId() + "/certificates/" + serial(device) + "/revoke")
                .then()
                .statusCode(200)
                .body("status", equalTo("REVOKED"));

        assertThat(callback.disconnectReason.get(10, TimeUnit.SECONDS)).isEqualTo(0x87);
        client.close(true);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> Api.device(
                        device.deviceId())
                .body("online", equalTo(false))
                .body("lastDisconnectReason", equalTo("CERTIFICATE_REVOKED")));
        assertThatThrownBy(() ->
                        DeviceKeys.connect(device.deviceId(), device.key(), device.chain(), new MqttDevices.Callback()))
                .isInstanceOfSatisfying(
                        MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(0x87));
        // Both changes are in the audit log, with who made them.
        given().get("/api/v1/audit?targetType=device&targetId=" + device.deviceId())
                .then()
                .statusCode(200)
                .body(
                        "items.action",
                        org.hamcrest.Matchers.hasItems("device.certificate.issued", "device.certificate.revoked"))
                .body(
                        "items.find { it.action == 'device.certificate.issued' }.actor",
                        equalTo("device:" + device.deviceId()));
    }

    @Test
    void hides_certificates_from_other_tenants() throws Exception {
        CertifiedDevice device = provisionWithCsr();
        String certificates = "/api/v1/devices/" + device.deviceId() + "/certificates";

        Callers.asAdminOf(Tenants.GLOBEX, () -> {
            given().get(certificates).then().statusCode(404).body("code", equalTo("NOT_FOUND"));
            given().post(certificates + "/" + serial(device) + "/revoke").then().statusCode(404);
        });

        given().get(certificates).then().statusCode(200).body("[0].status", equalTo("VALID"));
    }

    @Test
    void rotation_gives_a_second_certificate_while_the_first_still_works() throws Exception {
        CertifiedDevice device = provisionWithCsr();
        CompletableFuture<CertificateResponse> answer = new CompletableFuture<>();
        MqttAsyncClient client =
                DeviceKeys.connect(device.deviceId(), device.key(), device.chain(), new MqttDevices.Callback() {
                    @Override
                    public void messageArrived(String topic, MqttMessage message) {
                        if (topic.equals(Topics.certificateResponse(device.deviceId()))) {
                            answer.complete(Json.decode(message.getPayload(), CertificateResponse.class));
                        }
                    }
                });
        KeyPair next = DeviceKeys.newKey();

        MqttDevices.subscribe(client, Topics.certificateResponse(device.deviceId()), 1);
        int puback = MqttDevices.publishQos1(
                client,
                Topics.certificateRequest(device.deviceId()),
                Json.encode(new CertificateRequest("r1", DeviceKeys.csr(next, device.deviceId()))));
        CertificateResponse response = answer.get(10, TimeUnit.SECONDS);
        MqttDevices.close(client);

        assertThat(puback).isZero();
        assertThat(response.isSuccess()).isTrue();
        assertThat(response.requestId()).isEqualTo("r1");
        List<X509Certificate> nextChain = DeviceKeys.chain(response.certificate());
        assertThat(nextChain.get(0).getSerialNumber())
                .isNotEqualTo(device.chain().get(0).getSerialNumber());
        MqttDevices.close(DeviceKeys.connect(device.deviceId(), next, nextChain, new MqttDevices.Callback()));
        MqttDevices.close(
                DeviceKeys.connect(device.deviceId(), device.key(), device.chain(), new MqttDevices.Callback()));
        given().get("/api/v1/devices/" + device.deviceId() + "/certificates")
                .then()
                .body("$", hasSize(2))
                .body("status", org.hamcrest.Matchers.everyItem(equalTo("VALID")));
    }

    @Test
    void refuses_a_provisioning_csr_that_is_not_one_without_using_the_claim() throws Exception {
        String claim = Api.createClaim(Api.createModel(Api.unique("tv")), 1);

        ProvisionResponse response = MqttDevices.provision(
                claim, Json.encode(new ProvisionRequest("r1", Api.unique("SN"), "1.0.0", "not a csr")));

        assertThat(response.error()).isEqualTo(io.fleetcast.protocol.ProvisionError.INVALID_REQUEST);
        assertThat(MqttDevices.provision(claim, Api.unique("SN")).isSuccess()).isTrue();
    }

    private CertifiedDevice provisionWithCsr() throws Exception {
        String claim = Api.createClaim(Api.createModel(Api.unique("tv")), 5);
        KeyPair key = DeviceKeys.newKey();
        String serial = Api.unique("SN");
        ProvisionResponse response = MqttDevices.provision(
                claim,
                Json.encode(new ProvisionRequest(
                        UUID.randomUUID().toString(), serial, "1.0.0", DeviceKeys.csr(key, serial))));
        assertThat(response.isSuccess()).as("provisioned: %s", response).isTrue();
        assertThat(response.certificate()).isNotNull();
        return new CertifiedDevice(response.deviceId(), key, DeviceKeys.chain(response.certificate()));
    }

    private static String serial(CertifiedDevice device) {
        return device.chain().get(0).getSerialNumber().toString(16);
    }
}
