package io.fleetcast.simulators.provisioning;

import io.fleetcast.protocol.Credentials;
import io.fleetcast.simulators.mqtt.MqttClients;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/** Provisions simulated devices by claim over MQTT, one claim connection per device. */
public final class ClaimProvisioner {

    /** The firmware version every simulated device reports from the factory. */
    static final String FIRMWARE_VERSION = "1.0.0";

    private final MqttClients clients;
    private final byte[] claimToken;
    private final Duration timeout;

    /**
     * @param claimToken {@code <claimId>.<secret>}, sent as the CONNECT password
     * @param timeout bound on one device's whole exchange, CONNECT to provisioning response
     */
    public ClaimProvisioner(MqttClients clients, String claimToken, Duration timeout) {
        this.clients = clients;
        this.claimToken = claimToken.getBytes(StandardCharsets.UTF_8);
        this.timeout = timeout;
    }

    /**
     * Provisions one device. The future completes once the claim connection is closed again, so
     * callers that bound in-flight provisionings also bound open sockets. It fails with a
     * {@link io.fleetcast.simulators.mqtt.DescribedFailure} such as {@code response: REPLAYED}.
     */
    public CompletableFuture<ProvisionResult> provision(String serial) {
        // The request id only has to be unique on this connection; random keeps it opaque like a
        // real device's.
        String requestId = Long.toHexString(ThreadLocalRandom.current().nextLong());
        ProvisionAttempt attempt =
                new ProvisionAttempt(clients.newClient(Credentials.CLAIM_CLIENT_PREFIX + serial), serial, requestId);
        return attempt.run(claimToken, timeout);
    }
}
