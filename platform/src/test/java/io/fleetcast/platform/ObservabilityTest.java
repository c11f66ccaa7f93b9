package io.fleetcast.platform;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.fleetcast.platform.testing.Api;
import io.fleetcast.platform.testing.FleetcastTestResource;
import io.fleetcast.platform.testing.MqttDevices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.SecurityAttribute;
import io.quarkus.test.security.TestSecurity;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(FleetcastTestResource.class)
class ObservabilityTest {

    @Test
    void reports_liveness_and_readiness_of_database_and_mqtt() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("mqtt"));
    }

    @Test
    @TestSecurity(
            user = "maker",
            roles = "manufacturer-admin",
            attributes = @SecurityAttribute(key = "tenant", value = "acme"))
    void exports_connection_provisioning_and_auth_failure_metrics() throws Exception {
        String claim = Api.createClaim(Api.createModel(Api.unique("tv")), 5);
        MqttDevices.close(MqttDevices.connect(MqttDevices.provisioned(claim, Api.unique("SN"))));
        try {
            MqttDevices.connect("not-a-device", "not-a-device", "x", new MqttDevices.Callback());
        } catch (org.eclipse.paho.mqttv5.common.MqttException expected) {
            // counted as an authentication failure
        }

        given().get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("fleetcast_mqtt_connections"))
                .body(containsString("fleetcast_provisionings_total{result=\"provisioned\"}"))
                .body(containsString("fleetcast_mqtt_connects_total{kind=\"device\",result=\"accepted\"}"))
                .body(containsString("fleetcast_mqtt_auth_failures_total{reason=\"bad_credentials\"}"))
                .body(containsString("fleetcast_activity_flush_seconds"));
    }
}
