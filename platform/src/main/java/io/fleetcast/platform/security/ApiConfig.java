package io.fleetcast.platform.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

@ConfigMapping(prefix = "fleetcast.api")
public interface ApiConfig {

    /**
     * A bearer token that grants full access to one tenant's API, for local use until OIDC is
     * configured. Unset by default: then no request is authenticated this way.
     */
    Optional<String> devToken();

    /** The tenant that {@link #devToken()} acts for. By default {@code demo}. */
    @WithDefault("demo")
    String devTenant();
}
