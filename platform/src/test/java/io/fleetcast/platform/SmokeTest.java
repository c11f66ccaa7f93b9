package io.fleetcast.platform;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.fleetcast.platform.testing.Api;
import io.fleetcast.platform.testing.FleetcastTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.SecurityAttribute;
import io.quarkus.test.security.TestSecurity;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(FleetcastTestResource.class)
class SmokeTest {

    @Test
    @TestSecurity(
            user = "alice",
            roles = "manufacturer-admin",
            attributes = @SecurityAttribute(key = "tenant", value = "acme"))
    void creates_model_and_claim() {
        String model = Api.createModel(Api.unique("tv"));
        given().get("/api/v1/models").then().statusCode(200);
        Api.createClaim(model, 10);
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }
}
