package io.fleetcast.platform.testing;

/** The tenants tests act for; their identities come from {@code @TestSecurity}. */
public final class Tenants {

    public static final String ACME = "acme";
    public static final String GLOBEX = "globex";

    private Tenants() {}
}
