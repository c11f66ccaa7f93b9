package io.fleetcast.platform.testing;

import io.fleetcast.platform.security.Roles;
import io.fleetcast.platform.security.TenantAttribute;
import io.quarkus.arc.Arc;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.test.security.TestIdentityAssociation;
import java.util.function.Supplier;

/**
 * Switches the caller of REST calls in the middle of a test, so one test can act for two tenants.
 * The {@code @TestSecurity} identity is restored afterwards.
 */
public final class Callers {

    private Callers() {}

    /** Runs the calls as a manufacturer admin of the tenant and returns what they return. */
    public static <T> T asAdminOf(String tenant, Supplier<T> calls) {
        return as(tenant + "-admin", tenant, calls);
    }

    /** Runs the calls as the named manufacturer admin of the tenant and returns what they return. */
    public static <T> T as(String user, String tenant, Supplier<T> calls) {
        TestIdentityAssociation association =
                Arc.container().instance(TestIdentityAssociation.class).get();
        SecurityIdentity previous = association.getTestIdentity();
        association.setTestIdentity(QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(user))
                .addRole(Roles.MANUFACTURER_ADMIN)
                .addAttribute(TenantAttribute.NAME, tenant)
                .build());
        try {
            return calls.get();
        } finally {
            association.setTestIdentity(previous);
        }
    }

    public static void asAdminOf(String tenant, Runnable calls) {
        as(tenant + "-admin", tenant, calls);
    }

    public static void as(String user, String tenant, Runnable calls) {
        as(user, tenant, () -> {
            calls.run();
            return null;
        });
    }
}
