package io.fleetcast.simulators.provisioning;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.fleetcast.protocol.Credentials;
import io.fleetcast.protocol.Json;
import io.fleetcast.protocol.ProvisionRequest;
import io.fleetcast.protocol.ProvisionResponse;
import io.fleetcast.protocol.Topics;
import io.fleetcast.simulators.mqtt.DescribedFailure;
import io.fleetcast.simulators.mqtt.MqttFailures;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One device's provisioning exchange: CONNECT with the claim, SUBSCRIBE to the response topic,
 * PUBLISH the request, wait for the matching response, DISCONNECT. Used once.
 *
 * <p>Steps run on HiveMQ's callback threads; {@link #step} is volatile because a timeout reads it
 * from CompletableFuture's timer thread to say where the exchange got stuck.
 */
final class ProvisionAttempt {

    private final Mqtt5AsyncClient client;
    private final String serial;
    private final String requestId;
    private final CompletableFuture<ProvisionResponse> response = new CompletableFuture<>();

    private volatile String step = "connect";
    private volatile long responseNanos;

    ProvisionAttempt(Mqtt5AsyncClient client, String serial, String requestId) {
        this.client = client;
        this.serial = serial;
        this.requestId = requestId;
    }

    CompletableFuture<ProvisionResult> run(byte[] claimToken, Duration timeout) {
        long startNanos = System.nanoTime();
        CompletableFuture<Mqtt5ConnAck> connected = client.connectWith()
                .cleanStart(true)
                .simpleAuth()
                .username(Credentials.CLAIM_USERNAME)
                .password(claimToken)
                .applySimpleAuth()
                .send();
        CompletableFuture<ProvisionedDevice> provisioned = connected
                .thenCompose(connAck -> subscribe())
                .thenCompose(this::publishRequest)
                .thenCompose(this::awaitResponse)
                .thenApply(this::toDevice)
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);

        CompletableFuture<ProvisionResult> outcome = new CompletableFuture<>();
        provisioned.whenComplete((device, failure) -> close(connected, timeout).whenComplete((ignored, e) -> {
            if (failure == null) {
                outcome.complete(new ProvisionResult(device, responseNanos - startNanos));
            } else {
                outcome.completeExceptionally(new DescribedFailure(step + ": " + MqttFailures.describe(failure)));
            }
        }));
        return outcome;
    }

    private CompletableFuture<Mqtt5SubAck> subscribe() {
        step = "subscribe";
        return client.subscribeWith()
                .topicFilter(Topics.PROVISION_RESPONSE)
                .qos(MqttQos.AT_LEAST_ONCE)
                .callback(this::onPublish)
                .send();
    }

    private CompletableFuture<Mqtt5PublishResult> publishRequest(Mqtt5SubAck subAck) {
        // A SUBACK may carry an error code without HiveMQ failing the future; the response would
        // then never arrive and the attempt would only end at the timeout.
        for (Mqtt5SubAckReasonCode code : subAck.getReasonCodes()) {
            if (code.isError()) {
                throw new DescribedFailure("SUBACK " + code);
            }
        }
        step = "request";
        return client.publishWith()
                .topic(Topics.PROVISION_REQUEST)
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(Json.encode(new ProvisionRequest(requestId, serial, ClaimProvisioner.FIRMWARE_VERSION)))
                .send();
    }

    private CompletableFuture<ProvisionResponse> awaitResponse(Mqtt5PublishResult published) {
        published.getError().ifPresent(error -> {
            throw new DescribedFailure(MqttFailures.describe(error));
        });
        step = "response";
        return response;
    }

    /** Called by HiveMQ for every message on the response topic; must not block. */
    private void onPublish(Mqtt5Publish publish) {
        ProvisionResponse decoded;
        try {
            decoded = Json.decode(publish.getPayloadAsBytes(), ProvisionResponse.class);
        } catch (Json.MalformedPayloadException e) {
            response.completeExceptionally(new DescribedFailure("malformed ProvisionResponse"));
            return;
        }
        // The response topic is private to this connection, but a response to some other request
        // id would still not be ours to act on.
        if (requestId.equals(decoded.requestId())) {
            responseNanos = System.nanoTime();
            response.complete(decoded);
        }
    }

    private ProvisionedDevice toDevice(ProvisionResponse answer) {
        if (answer.isSuccess()) {
            return new ProvisionedDevice(serial, answer.deviceId(), answer.credential());
        }
        throw new DescribedFailure(
                answer.error() == null
                        ? "no error code and no credential"
                        : answer.error().name());
    }

    /**
     * Closes the claim connection. A failed DISCONNECT does not fail the provisioning: the platform
     * may close a claim connection itself once it has answered.
     */
    private CompletableFuture<Void> close(CompletableFuture<Mqtt5ConnAck> connected, Duration timeout) {
        CompletableFuture<Void> closed = connected.thenCompose(connAck -> client.disconnect());
        if (!connected.isDone()) {
            // Timed out while connecting: HiveMQ's own connect timeout ends the attempt, and the line
            // above still closes the connection should the CONNACK come late. Nothing to wait for.
            return CompletableFuture.completedFuture(null);
        }
        return closed.handle((ignored, e) -> (Void) null)
                .completeOnTimeout(null, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
