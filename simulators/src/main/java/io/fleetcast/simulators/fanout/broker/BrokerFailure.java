package io.fleetcast.simulators.fanout.broker;

/** A broker that could not be started or used; the message is the reason the results show. */
public final class BrokerFailure extends RuntimeException {

    public BrokerFailure(String message) {
        super(message, null, false, false);
    }
}
