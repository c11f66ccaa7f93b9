package io.fleetcast.agent.internal;

import io.fleetcast.agent.internal.ota.OtaReports;
import io.fleetcast.agent.internal.ota.Updater;
import io.fleetcast.protocol.Json;
import io.fleetcast.protocol.OtaAssignment;
import io.fleetcast.protocol.OtaReport;
import io.fleetcast.protocol.Topics;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;

/**
 * Connects the {@link Updater} to the device connection: subscribes to {@code d/<id>/o}, hands
 * assignments over, publishes reports on {@code d/<id>/op} (QoS 1), keeps reports made while offline
 * for the next connection, and runs the health check (connected and state reported) after a trial boot.
 *
 * <p>Confined to the agent thread, except {@link #publish}, which hands over to it.
 */
final class OtaLink implements OtaReports {

    private static final Logger LOG = Logger.getLogger(OtaLink.class.getName());
    private static final int QOS = 1;

    /** Reports made offline; the oldest go first when more pile up (progress, mostly). */
    private static final int MAX_QUEUED = 32;

    private final Scheduler scheduler;
    private final Deque<Pending> queued = new ArrayDeque<>();
    private Updater updater;
    private Connection connection;
    private String deviceId;

    private record Pending(OtaReport report, CompletableFuture<Void> acked) {}

    OtaLink(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    void updater(Updater updater) {
        this.updater = updater;
    }

    /** The device connection is up and the state was published on it: that is the health check. */
    void attach(Connection connection, String deviceId) {
        this.connection = connection;
        this.deviceId = deviceId;
        connection.subscribe(Topics.ota(deviceId), QOS, ack -> {
            if (!ack.isSuccess()) {
                LOG.warning(() -> "subscription to OTA assignments refused: " + ack.describe());
            }
        });
        while (!queued.isEmpty()) {
            send(queued.poll());
        }
        updater.healthy();
    }

    void detach() {
        connection = null;
    }

    /** True when the message was an OTA assignment (handled here). */
    boolean messageArrived(String topic, byte[] payload) {
        if (deviceId == null || !topic.equals(Topics.ota(deviceId))) {
            return false;
        }
        try {
            updater.assign(Json.decode(payload, OtaAssignment.class));
        } catch (Json.MalformedPayloadException e) {
            LOG.warning(() -> "ignoring a malformed OTA assignment: " + e.getMessage());
        }
        return true;
    }

    @Override
    public CompletableFuture<Void> publish(OtaReport report) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        scheduler.execute(() -> {
            Pending pending = new Pending(report, acked);
            if (connection == null) {
                if (queued.size() == MAX_QUEUED) {
                    queued.poll().acked().completeExceptionally(new IllegalStateException("dropped while offline"));
                }
                queued.add(pending);
            } else {
                send(pending);
            }
        });
        return acked;
    }

    private void send(Pending pending) {
        connection.publish(Topics.otaReport(deviceId), Json.encode(pending.report()), QOS, ack -> {
            if (ack.isSuccess()) {
                pending.acked().complete(null);
            } else {
                pending.acked().completeExceptionally(new IllegalStateException(ack.describe()));
            }
        });
    }
}
