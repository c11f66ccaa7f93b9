package io.fleetcast.protocol;

/**
 * How devices authenticate in MQTT CONNECT.
 *
 * <ul>
 *   <li>A provisioned device connects with client id = its device id and password = its credential.
 *       The user name may be empty or equal to the device id.
 *   <li>A device that is not yet provisioned connects with user name {@link #CLAIM_USERNAME} and
 *       password = the claim token of its production batch. Such a connection may only publish to
 *       {@link Topics#PROVISION_REQUEST} and subscribe to {@link Topics#PROVISION_RESPONSE}.
 *   <li>A back end (a platform service, a partner's server) connects with user name
 *       {@link #TOKEN_USERNAME} and password = an OIDC access token of its tenant. It may publish and
 *       subscribe to its tenant's broadcast topics.
 * </ul>
 */
public final class Credentials {

    /** User name that marks a claim connection. */
    public static final String CLAIM_USERNAME = "$claim";

    /** User name that marks a back end authenticating with an OIDC access token. */
    public static final String TOKEN_USERNAME = "$token";

    /** Client id prefix that claim connections use; the rest is the device's serial. */
    public static final String CLAIM_CLIENT_PREFIX = "prov-";

    /** Separates the claim id from the claim secret in a claim token. */
    public static final char CLAIM_TOKEN_SEPARATOR = '.';

    private Credentials() {}

    /** {@code <claimId>.<secret>} */
    public static String claimToken(String claimId, String secret) {
        return claimId + CLAIM_TOKEN_SEPARATOR + secret;
    }
}
