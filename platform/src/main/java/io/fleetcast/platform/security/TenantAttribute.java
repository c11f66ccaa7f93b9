package io.fleetcast.platform.security;

/** The security identity attribute that carries the caller's tenant (a token claim once OIDC is on). */
public final class TenantAttribute {

    public static final String NAME = "tenant";

    private TenantAttribute() {}
}
