package io.fleetcast.simulators.mqtt;

/**
 * A failure whose message is already the short, stable reason that failure breakdowns group by,
 * e.g. {@code response: CLAIM_EXHAUSTED}. Thousands may be created in a bad run, so no stack trace.
 */
public final class DescribedFailure extends RuntimeException {

    public DescribedFailure(String reason) {
        super(reason, null, false, false);
    }

    public String reason() {
        return getMessage();
    }
}
