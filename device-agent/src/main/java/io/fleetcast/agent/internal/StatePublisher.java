package io.fleetcast.agent.internal;

import io.fleetcast.protocol.Json;
import io.fleetcast.protocol.ReportedState;
import io.fleetcast.protocol.Topics;
import java.util.logging.Logger;

/**
 * Publishes the reported state: in full after every connect, since the platform may have lost or never
 * seen the last report, and otherwise only when it changes, since every report costs the platform a
 * write. QoS 1, not retained: the platform keeps the latest report itself.
 *
 * <p>Confined to the agent thread.
 */
final class StatePublisher {

    private static final Logger LOG = Logger.getLogger(StatePublisher.class.getName());
    private static final int QOS = 1;

    private ReportedState state;
    private Connection connection;
    private String topic;

    StatePublisher(ReportedState initial) {
        this.state = initial;
    }

    /** A device connection came up: publish the full state on it. */
    void attach(Connection connection, String deviceId) {
        this.connection = connection;
        this.topic = Topics.state(deviceId);
        publish();
    }

    /** The device connection went down; changes wait for the next {@link #attach}. */
    void detach() {
        this.connection = null;
    }

    /**
     * Takes the application's new state; publishes it when connected.
     *
     * @return false when the state equals the current one, so nothing was published
     */
    boolean update(ReportedState newState) {
        if (newState.equals(state)) {
            return false;
        }
        state = newState;
        if (connection != null) {
            publish();
        }
        return true;
    }

    ReportedState state() {
        return state;
    }

    private void publish() {
        String target = topic;
        connection.publish(target, Json.encode(state), QOS, ack -> {
            // Runs on a client thread; it only logs, so it needs no hand-over to the agent thread.
            if (ack.reasonCode() == ReasonCodes.PAYLOAD_FORMAT_INVALID) {
                LOG.warning(() -> "the platform rejected the state report on " + target + ": " + ack.describe());
            } else if (!ack.isSuccess()) {
                // A lost connection also loses the report; the next connect publishes it again.
                LOG.info(() -> "state report on " + target + " not accepted: " + ack.describe());
            }
        });
    }
}
