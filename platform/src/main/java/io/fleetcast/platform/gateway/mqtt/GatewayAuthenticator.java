package io.fleetcast.platform.gateway.mqtt;

import io.fleetcast.platform.gateway.mqtt.DeviceAuthenticator.Result;
import io.fleetcast.platform.provisioning.ClaimVerdict;
import io.fleetcast.platform.security.Roles;
import io.fleetcast.platform.security.TenantAttribute;
import io.fleetcast.protocol.Credentials;
import io.fleetcast.protocol.ProvisionError;
import io.fleetcast.routing.broker.Admission;
import io.fleetcast.routing.broker.Authenticator;
import io.fleetcast.routing.broker.ConnectRequest;
import io.quarkus.oidc.AccessTokenCredential;
import io.smallrye.mutiny.Uni;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

/**
 * Who may connect, decided at CONNECT: a device by its credential or certificate, a device
 * provisioning itself by claim token, a back end by an OIDC access token, or (only in anonymous
 * mode) a client without credentials.
 * Guessing credentials costs the guesser: failed attempts count against the address (see RateLimits).
 */
final class GatewayAuthenticator implements Authenticator {

    private static final Logger LOG = Logger.getLogger(GatewayAuthenticator.class);

    private final Gateway gateway;

    GatewayAuthenticator(Gateway gateway) {
        this.gateway = gateway;
    }

    @Override
    public CompletionStage<Admission> authenticate(ConnectRequest request) {
        String username = request.username();
        if (Credentials.CLAIM_USERNAME.equals(username)) {
            return claim(request);
        }
        if (Credentials.TOKEN_USERNAME.equals(username)) {
            return backend(request);
        }
        if (gateway.config.anonymous() && username == null && request.password() == null && request.tls() == null) {
            return CompletableFuture.completedFuture(
                    Admission.accept(request.clientId(), new AnonymousPolicy(request.clientId())));
        }
        return device(request);
    }

    private CompletionStage<Admission> device(ConnectRequest request) {
        if (!gateway.limits.mayConnect(request.address())) {
            return refused("device", request, ReasonCodes.CONNECTION_RATE_EXCEEDED, "rate_limited");
        }
        String clientId = request.clientId();
        X509Certificate certificate = ClientCertificates.of(request.tls());
        Uni<Result> authentication = certificate != null
                ? gateway.authenticator.authenticate(clientId, request.username(), certificate)
                : gateway.authenticator.authenticate(clientId, request.username(), request.passwordText());
        return authentication
                .map(result -> switch (result.outcome()) {
                    case ACCEPTED -> Admission.accept(
                            clientId,
                            new DevicePolicy(
                                    gateway,
                                    clientId,
                                    result.deviceId(),
                                    result.tenantId(),
                                    result.certificateSerial()));
                    case BAD_CREDENTIALS -> refusal(
                            "device", request, ReasonCodes.BAD_USERNAME_OR_PASSWORD, "bad_credentials");
                    case DISABLED -> refusal("device", request, ReasonCodes.NOT_AUTHORIZED, "device_disabled");
                    case CLIENT_ID_MISMATCH -> refusal(
                            "device", request, ReasonCodes.CLIENT_IDENTIFIER_NOT_VALID, "client_id_mismatch");
                    case CERTIFICATE_REVOKED -> refusal(
                            "device", request, ReasonCodes.NOT_AUTHORIZED, "certificate_revoked");
                    case CERTIFICATE_EXPIRED -> refusal(
                            "device", request, ReasonCodes.NOT_AUTHORIZED, "certificate_expired");
                })
                .onFailure()
                .recoverWithItem(failure -> {
                    LOG.errorf(failure, "Authentication failed to complete clientId=%s", clientId);
                    return refusal("device", request, ReasonCodes.SERVER_UNAVAILABLE, "server_unavailable");
                })
                .subscribeAsCompletionStage();
    }

    /**
     * A back end with an access token: verified like any API call (signature, issuer, expiry, against
     * the realm's keys), and it must carry a tenant and a role that may broadcast.
     */
    private CompletionStage<Admission> backend(ConnectRequest request) {
        if (!gateway.limits.mayConnect(request.address())) {
            return refused("backend", request, ReasonCodes.CONNECTION_RATE_EXCEEDED, "rate_limited");
        }
        String token = request.passwordText();
        if (token == null || token.isEmpty()) {
            return refused("backend", request, ReasonCodes.BAD_USERNAME_OR_PASSWORD, "bad_credentials");
        }
        return gateway.tokens
                .authenticate(new AccessTokenCredential(token))
                .map(identity -> {
                    String tenantId = identity.getPrincipal() instanceof JsonWebToken jwt
                            ? jwt.getClaim(TenantAttribute.NAME)
                            : null;
                    boolean mayBroadcast = identity.hasRole(Roles.MANUFACTURER_ADMIN)
                            || identity.hasRole(Roles.OPERATOR)
                            || identity.hasRole(Roles.PLATFORM_ADMIN);
                    if (tenantId == null || !mayBroadcast) {
                        return refusal("backend", request, ReasonCodes.NOT_AUTHORIZED, "not_allowed_to_broadcast");
                    }
                    gateway.metrics.connectAccepted("backend");
                    return Admission.accept(
                            request.clientId(),
                            new BackendPolicy(
                                    gateway,
                                    request.clientId(),
                                    tenantId,
                                    identity.getPrincipal().getName()));
                })
                .onFailure()
                .recoverWithItem(failure -> {
                    LOG.debugf("Token refused clientId=%s: %s", request.clientId(), failure.getMessage());
                    return refusal("backend", request, ReasonCodes.BAD_USERNAME_OR_PASSWORD, "bad_token");
                })
                .subscribeAsCompletionStage();
    }

    private CompletionStage<Admission> claim(ConnectRequest request) {
        String token = request.passwordText();
        int separator = token == null ? -1 : token.indexOf(Credentials.CLAIM_TOKEN_SEPARATOR);
        String claimId = separator < 0 ? null : token.substring(0, separator);
        if (!gateway.limits.mayConnect(request.address())
                || (claimId != null && !gateway.limits.mayUseClaim(claimId))) {
            return refused("claim", request, ReasonCodes.CONNECTION_RATE_EXCEEDED, "rate_limited");
        }
        return gateway.claims
                .check(token)
                .map(verdict -> admitClaim(request, verdict))
                .onFailure()
                .recoverWithItem(failure -> {
                    LOG.errorf(failure, "Claim check failed to complete clientId=%s", request.clientId());
                    return refusal("claim", request, ReasonCodes.SERVER_UNAVAILABLE, ProvisionError.UNAVAILABLE.name());
                })
                .subscribeAsCompletionStage();
    }

    private Admission admitClaim(ConnectRequest request, ClaimVerdict verdict) {
        if (verdict.isGranted()) {
            return Admission.accept(request.clientId(), new ClaimPolicy(gateway, request.clientId(), verdict.grant()));
        }
        boolean unknown = verdict.error() == ProvisionError.CLAIM_UNKNOWN;
        return refusal(
                "claim",
                request,
                unknown ? ReasonCodes.BAD_USERNAME_OR_PASSWORD : ReasonCodes.NOT_AUTHORIZED,
                verdict.error().name());
    }

    private CompletionStage<Admission> refused(String kind, ConnectRequest request, int code, String reason) {
        return CompletableFuture.completedFuture(refusal(kind, request, code, reason));
    }

    private Admission refusal(String kind, ConnectRequest request, int code, String reason) {
        gateway.metrics.authFailure(kind, reason);
        LOG.infof("CONNECT refused clientId=%s address=%s reason=%s", request.clientId(), request.address(), reason);
        if (code == ReasonCodes.BAD_USERNAME_OR_PASSWORD || code == ReasonCodes.CLIENT_IDENTIFIER_NOT_VALID) {
            gateway.limits.connectFailed(request.address());
        }
        return Admission.refuse(code, reason);
    }
}
