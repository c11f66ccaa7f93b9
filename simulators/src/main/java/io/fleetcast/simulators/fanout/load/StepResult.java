package io.fleetcast.simulators.fanout.load;

import io.netty.handler.codec.mqtt.MqttQoS;

/**
 * One publishing step: what was offered and what arrived.
 *
 * @param receivers subscribers expected to receive every message (stalled ones excluded)
 * @param windowSeconds length of the measurement window, after the warm-up messages
 */
public record StepResult(
        int step,
        String topic,
        MqttQoS qos,
        double rate,
        int receivers,
        long warmupMessages,
        long measuredMessages,
        Publisher.Sent sent,
        DeliveryTotals deliveries,
        double windowSeconds) {

    /** Deliveries a second the publisher asked for: rate times receivers. */
    public double offeredPerSecond() {
        return rate * receivers;
    }

    /** Deliveries that arrived within the measurement window, per second of it. */
    public double deliveredPerSecond() {
        return windowSeconds <= 0 ? 0 : deliveries.inWindow() / windowSeconds;
    }

    /** Measured deliveries that never arrived (or arrived after the drain timeout). */
    public long lost() {
        return Math.max(0, measuredMessages * receivers - deliveries.measured());
    }

    public double lossRatio() {
        long expected = measuredMessages * receivers;
        return expected == 0 ? 0 : (double) lost() / expected;
    }

    /** Whether the broker kept up: delivered what was offered, on time and complete. */
    public boolean keptUp(double tolerance) {
        return deliveredPerSecond() >= (1 - tolerance) * offeredPerSecond()
                && lossRatio() <= tolerance / 10
                && sent.skipped() == 0;
    }
}
