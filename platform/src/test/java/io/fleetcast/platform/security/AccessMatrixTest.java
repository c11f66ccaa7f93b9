package io.fleetcast.platform.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.platform.testing.FleetcastTestResource;
import io.fleetcast.platform.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every endpoint against every role, with real tokens from Keycloak. The table below is the
 * specification: a role listed for an endpoint gets past authorization, any other role gets 403 and a
 * caller without a token 401. Endpoints that take an id get an unknown one, so allowed calls end in
 * 404 and nothing is changed.
 */
@QuarkusTest
@QuarkusTestResource(FleetcastTestResource.class)
class AccessMatrixTest {

    private static final String MA = Roles.MANUFACTURER_ADMIN;
    private static final String OP = Roles.OPERATOR;
    private static final String PA = Roles.PLATFORM_ADMIN;

    /** A demo user of the realm for each role. */
    private static final Map<String, String> USERS = Map.of(
            Roles.MANUFACTURER_ADMIN, "admin@acme",
            Roles.OPERATOR, "operator@acme",
            Roles.PLATFORM_ADMIN, "root",
            Roles.PARTNER_DEVELOPER, "partner@shop",
            Roles.CATALOG_REVIEWER, "reviewer");

    record Endpoint(String method, String path, String contentType, String body, Set<String> roles) {

        static Endpoint json(String method, String path, String body, String... roles) {
            return new Endpoint(method, path, "application/json", body, Set.of(roles));
        }

        static Endpoint get(String path, String... roles) {
            return new Endpoint("GET", path, null, null, Set.of(roles));
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    static List<Endpoint> endpoints() {
        String model = "{\"name\":\"m-" + UUID.randomUUID().toString().substring(0, 8) + "\",\"deviceClass\":\"tv\"}";
        String group = "{\"name\":\"g-" + UUID.randomUUID().toString().substring(0, 8) + "\",\"kind\":\"STATIC\"}";
        String members = "{\"deviceIds\":[\"" + UUID.randomUUID() + "\"]}";
        return List.of(
                Endpoint.json("POST", "/api/v1/models", model, MA, PA),
                Endpoint.get("/api/v1/models", MA, OP, PA),
                Endpoint.get("/api/v1/models/{id}", MA, OP, PA),
                Endpoint.json("PUT", "/api/v1/models/{id}", model, MA, PA),
                Endpoint.json("DELETE", "/api/v1/models/{id}", null, MA, PA),
                Endpoint.get("/api/v1/devices", MA, OP, PA),
                Endpoint.get("/api/v1/devices/count", MA, OP, PA),
                Endpoint.get("/api/v1/devices/{id}", MA, OP, PA),
                Endpoint.json("POST", "/api/v1/devices/{id}/disable", null, MA, PA),
                Endpoint.json("POST", "/api/v1/devices/{id}/enable", null, MA, PA),
                Endpoint.json("DELETE", "/api/v1/devices/{id}", null, MA, PA),
                new Endpoint("POST", "/api/v1/devices/import", "text/csv", "serial,model\n", Set.of(MA, PA)),
                Endpoint.json("POST", "/api/v1/groups", group, MA, OP, PA),
                Endpoint.get("/api/v1/groups", MA, OP, PA),
                Endpoint.get("/api/v1/groups/{id}", MA, OP, PA),
                Endpoint.json("PUT", "/api/v1/groups/{id}", group, MA, OP, PA),
                Endpoint.json("DELETE", "/api/v1/groups/{id}", null, MA, OP, PA),
                Endpoint.get("/api/v1/groups/{id}/devices", MA, OP, PA),
                Endpoint.get("/api/v1/groups/{id}/devices/count", MA, OP, PA),
                Endpoint.json("POST", "/api/v1/groups/{id}/members", members, MA, OP, PA),
                Endpoint.json("POST", "/api/v1/groups/{id}/members/remove", members, MA, OP, PA),
                Endpoint.json("POST", "/api/v1/claims", "{\"model\":\"no-such-model\",\"maxUses\":1}", MA, PA),
                Endpoint.get("/api/v1/claims", MA, PA),
                Endpoint.get("/api/v1/claims/{id}", MA, PA),
                Endpoint.json("POST", "/api/v1/claims/{id}/revoke", null, MA, PA),
                Endpoint.get("/api/v1/devices/{id}/certificates", MA, PA),
                Endpoint.get("/api/v1/audit", MA, PA),
                Endpoint.json(
                        "POST",
                        "/api/v1/broadcasts",
                        "{\"scope\":\"CHANNEL\",\"target\":\"access-matrix\",\"payload\":{}}",
                        MA,
                        OP,
                        PA),
                Endpoint.json("POST", "/api/v1/devices/{id}/certificates/0a1b2c/revoke", null, MA, PA),
                Endpoint.json("POST", "/api/v1/firmware/keys", "{\"name\":\"k\",\"publicKey\":\"x\"}", MA, PA),
                Endpoint.get("/api/v1/firmware/keys", MA, OP, PA),
                Endpoint.json("POST", "/api/v1/firmware/keys/{id}/revoke", null, MA, PA),
                new Endpoint(
                        "POST", "/api/v1/firmware/bundles", "application/octet-stream", "not a bundle", Set.of(MA, PA)),
                Endpoint.get("/api/v1/firmware/bundles", MA, OP, PA),
                Endpoint.get("/api/v1/firmware/bundles/{id}", MA, OP, PA),
                Endpoint.json("POST", "/api/v1/rollouts", "{}", MA, OP, PA),
                Endpoint.get("/api/v1/rollouts", MA, OP, PA),
                Endpoint.get("/api/v1/rollouts/{id}", MA, OP, PA),
                Endpoint.json("POST", "/api/v1/rollouts/{id}/approve", null, MA, PA),
                Endpoint.json("POST", "/api/v1/rollouts/{id}/start", null, MA, OP, PA),
                Endpoint.json("POST", "/api/v1/rollouts/{id}/pause", null, MA, OP, PA),
                Endpoint.json("POST", "/api/v1/rollouts/{id}/resume", null, MA, OP, PA),
                Endpoint.json("POST", "/api/v1/rollouts/{id}/cancel", null, MA, OP, PA),
                Endpoint.get("/api/v1/rollouts/{id}/progress", MA, OP, PA),
                Endpoint.get("/api/v1/rollouts/{id}/events", MA, OP, PA),
                Endpoint.get("/api/v1/rollouts/{id}/actions", MA, OP, PA),
                Endpoint.get("/api/v1/rollouts/{id}/actions/{id}", MA, OP, PA),
                Endpoint.json("POST", "/api/v1/rollouts/{id}/actions/{id}/cancel", null, MA, OP, PA));
    }

    static Stream<Arguments> endpointsAndRoles() {
        List<Arguments> cases = new ArrayList<>();
        for (Endpoint endpoint : endpoints()) {
            for (String role : Roles.ALL) {
                cases.add(Arguments.of(endpoint, role));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("endpointsAndRoles")
    void each_role_reaches_exactly_its_endpoints(Endpoint endpoint, String role) {
        int status = call(endpoint, given().auth().oauth2(Tokens.of(USERS.get(role))));

        if (endpoint.roles().contains(role)) {
            assertThat(status)
                    .as("%s may call %s", role, endpoint)
                    .isNotIn(401, 403)
                    .isLessThan(500);
        } else {
            assertThat(status).as("%s may not call %s", role, endpoint).isEqualTo(403);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void a_caller_without_a_token_gets_401(Endpoint endpoint) {
        assertThat(call(endpoint, given())).isEqualTo(401);
    }

    private static int call(Endpoint endpoint, RequestSpecification request) {
        if (endpoint.contentType() != null) {
            request.contentType(endpoint.contentType());
        }
        if (endpoint.body() != null) {
            // Rest Assured will not encode a string as application/octet-stream; bytes it sends as they are.
            request.body(endpoint.body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        String path = endpoint.path().replace("{id}", UUID.randomUUID().toString());
        return request.request(endpoint.method(), path).then().extract().statusCode();
    }
}
