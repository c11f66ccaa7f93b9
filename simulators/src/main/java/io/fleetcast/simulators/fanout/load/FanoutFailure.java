package io.fleetcast.simulators.fanout.load;

/** A failure whose message is the whole story (a refused CONNACK, a timeout); no stack needed. */
public final class FanoutFailure extends RuntimeException {

    public FanoutFailure(String message) {
        super(message, null, false, false);
    }
}
