package io.fleetcast.platform.testing;

import static io.restassured.RestAssured.given;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Access tokens from the test Keycloak, by password grant for the realm's demo users. */
public final class Tokens {

    public static final String PASSWORD = "demo";

    private static final Map<String, String> CACHE = new ConcurrentHashMap<>();

    private Tokens() {}

    /** A token of a demo user of the fleetcast realm (cached for the run: they live 5 minutes). */
    public static String of(String username) {
        return CACHE.computeIfAbsent(username, user -> fetch("fleetcast", "fleetcast-cli", user));
    }

    /** A fresh token that expires one second after it was issued. */
    public static String shortLived(String username) {
        return fetch("fleetcast", "fleetcast-cli-short", username);
    }

    /** A valid token of another realm: right signature, wrong issuer. */
    public static String fromOtherRealm(String username) {
        return fetch("elsewhere", "fleetcast-cli", username);
    }

    public static String fetch(String realm, String client, String username) {
        return given().baseUri(Keycloak.shared().url())
                .formParam("grant_type", "password")
                .formParam("client_id", client)
                .formParam("username", username)
                .formParam("password", PASSWORD)
                .post("/realms/" + realm + "/protocol/openid-connect/token")
                .then()
                .statusCode(200)
                .extract()
                .path("access_token");
    }
}
