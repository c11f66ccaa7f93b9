package io.fleetcast.agent.internal;

import io.fleetcast.agent.AgentListener;
import io.fleetcast.protocol.ProvisionError;
import java.util.ArrayList;
import java.util.List;

/** Records listener calls as short strings, e.g. {@code connected dev-1}. */
final class RecordingListener implements AgentListener {

    final List<String> events = new ArrayList<>();

    @Override
    public void provisioned(String deviceId) {
        events.add("provisioned " + deviceId);
    }

    @Override
    public void provisioningRejected(ProvisionError error, String message) {
        events.add("rejected " + error);
    }

    @Override
    public void connected(String deviceId) {
        events.add("connected " + deviceId);
    }

    @Override
    public void disconnected(String reason) {
        events.add("disconnected " + reason);
    }

    @Override
    public void connectionRefused(int reasonCode, String reason) {
        events.add(String.format("refused 0x%02X %s", reasonCode, reason));
    }
}
