package io.fleetcast.simulators.connect;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import io.fleetcast.protocol.Topics;
import io.fleetcast.simulators.mqtt.DescribedFailure;
import io.fleetcast.simulators.mqtt.MqttClients;
import io.fleetcast.simulators.mqtt.MqttFailures;
import io.fleetcast.simulators.provisioning.ProvisionedDevice;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A provisioned device's own connection: CONNECT with its credential, report its state once, stay
 * connected until {@link #disconnect()}.
 *
 * <p>The futures complete on HiveMQ's callback threads; callers must not block in their stages.
 */
public final class DeviceConnection {

    private final ProvisionedDevice device;
    private final Mqtt5AsyncClient client;
    private final Duration timeout;
    private final CompletableFuture<Long> connected = new CompletableFuture<>();
    private final CompletableFuture<Long> stateReported;

    /** Why the connection ended before we disconnected it; written by HiveMQ's Netty thread. */
    private volatile Throwable lostCause;

    private DeviceConnection(MqttClients clients, ProvisionedDevice device, Duration timeout, byte[] state) {
        this.device = device;
        this.timeout = timeout;
        // The listener can only fire once connect() below has been called, after construction.
        this.client = clients.newClient(device.deviceId(), this::onDisconnected);
        this.stateReported = connected.thenCompose(connAckNanos -> reportState(state));
    }

    /**
     * Starts connecting. Connect timeouts are HiveMQ's own (socket and CONNACK), which also close
     * the socket; an outer timeout could leave a late-connecting client open.
     *
     * @param state the encoded ReportedState to publish once connected; not modified
     */
    static DeviceConnection open(MqttClients clients, ProvisionedDevice device, Duration timeout, byte[] state) {
        DeviceConnection connection = new DeviceConnection(clients, device, timeout, state);
        connection.connect();
        return connection;
    }

    private void connect() {
        long start = System.nanoTime();
        client.connectWith()
                .cleanStart(true)
                .simpleAuth()
                .username(device.deviceId())
                .password(device.credential().getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .send()
                .whenComplete((connAck, failure) -> {
                    if (failure == null) {
                        connected.complete(System.nanoTime() - start);
                    } else {
                        connected.completeExceptionally(
                                new DescribedFailure("connect: " + MqttFailures.describe(failure)));
                    }
                });
    }

    private CompletableFuture<Long> reportState(byte[] state) {
        long start = System.nanoTime();
        return client.publishWith()
                .topic(Topics.state(device.deviceId()))
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(state)
                .send()
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((result, failure) -> pubAckNanos(result, failure, start));
    }

    private static long pubAckNanos(Mqtt5PublishResult result, Throwable failure, long start) {
        Throwable error = failure != null ? failure : result.getError().orElse(null);
        if (error != null) {
            throw new DescribedFailure("state: " + MqttFailures.describe(error));
        }
        return System.nanoTime() - start;
    }

    /** CONNECT sent to CONNACK received, in nanoseconds; fails with a {@link DescribedFailure}. */
    public CompletableFuture<Long> connected() {
        return connected;
    }

    /**
     * State PUBLISH sent to PUBACK received, in nanoseconds. Completes after {@link #connected()};
     * when the connect failed it fails with the connect's failure.
     */
    public CompletableFuture<Long> stateReported() {
        return stateReported;
    }

    public boolean isConnected() {
        return connected.isDone() && !connected.isCompletedExceptionally();
    }

    /** Sends DISCONNECT; completes with how long that took, or fails when the connection was lost. */
    public CompletableFuture<Long> disconnect() {
        Throwable lost = lostCause;
        if (lost != null) {
            return CompletableFuture.failedFuture(
                    new DescribedFailure("lost before disconnect: " + MqttFailures.describe(lost)));
        }
        long start = System.nanoTime();
        return client.disconnect()
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((ignored, failure) -> {
                    if (failure != null) {
                        throw new DescribedFailure("disconnect: " + MqttFailures.describe(failure));
                    }
                    return System.nanoTime() - start;
                });
    }

    /** HiveMQ calls this on its Netty thread; it must not block. */
    private void onDisconnected(MqttClientDisconnectedContext context) {
        if (context.getSource() != MqttDisconnectSource.USER) {
            lostCause = context.getCause();
        }
    }
}
