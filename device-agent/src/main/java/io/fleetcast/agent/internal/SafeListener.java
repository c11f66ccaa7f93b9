package io.fleetcast.agent.internal;

import io.fleetcast.agent.AgentListener;
import io.fleetcast.protocol.ProvisionError;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Shields the agent thread from the application's listener: an exception there must not stop reconnecting. */
final class SafeListener implements AgentListener {

    private static final Logger LOG = Logger.getLogger(SafeListener.class.getName());

    private final AgentListener delegate;

    SafeListener(AgentListener delegate) {
        this.delegate = delegate;
    }

    @Override
    public void provisioned(String deviceId) {
        call("provisioned", () -> delegate.provisioned(deviceId));
    }

    @Override
    public void provisioningRejected(ProvisionError error, String message) {
        call("provisioningRejected", () -> delegate.provisioningRejected(error, message));
    }

    @Override
    public void connected(String deviceId) {
        call("connected", () -> delegate.connected(deviceId));
    }

    @Override
    public void disconnected(String reason) {
        call("disconnected", () -> delegate.disconnected(reason));
    }

    @Override
    public void connectionRefused(int reasonCode, String reason) {
        call("connectionRefused", () -> delegate.connectionRefused(reasonCode, reason));
    }

    @Override
    public void updateConsentRequested(String actionId, String version) {
        call("updateConsentRequested", () -> delegate.updateConsentRequested(actionId, version));
    }

    private static void call(String method, Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "AgentListener." + method + " threw; ignoring", e);
        }
    }
}
