package io.fleetcast.simulators.fanout.broker;

import java.io.IOException;

/** Starts one kind of broker as a process of its own. */
public interface BrokerLauncher {

    /** Short name used in results: mosquitto, nats, hivemq, fleetcast. */
    String name();

    /** Why this broker cannot run here (a missing binary or jar), or null if it can. */
    String unavailableReason();

    /**
     * Starts the broker and returns once it accepts TCP connections on the setup's port.
     *
     * @throws BrokerFailure if it exits or does not listen in time; the message says why
     */
    RunningBroker start(BrokerSetup setup) throws IOException, InterruptedException;
}
