package io.fleetcast.platform.security;

import java.util.Set;

/** The platform's roles, as the Keycloak realm defines them. */
public final class Roles {

    public static final String PLATFORM_ADMIN = "platform-admin";
    public static final String MANUFACTURER_ADMIN = "manufacturer-admin";
    public static final String OPERATOR = "operator";
    public static final String PARTNER_DEVELOPER = "partner-developer";
    public static final String CATALOG_REVIEWER = "catalog-reviewer";

    public static final Set<String> ALL =
            Set.of(PLATFORM_ADMIN, MANUFACTURER_ADMIN, OPERATOR, PARTNER_DEVELOPER, CATALOG_REVIEWER);

    private Roles() {}
}
