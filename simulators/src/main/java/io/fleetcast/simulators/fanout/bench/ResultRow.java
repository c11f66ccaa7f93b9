package io.fleetcast.simulators.fanout.bench;

/**
 * One figure of one run: e.g. run 2, mosquitto, S2-qos0, p99_ms, 3.1. A failed broker or
 * scenario is a row with metric {@link Metric#FAILED}, value NaN and the reason in {@code note}.
 */
public record ResultRow(int run, String broker, String scenario, Metric metric, double value, String note) {

    public static ResultRow failed(int run, String broker, String scenario, String reason) {
        return new ResultRow(run, broker, scenario, Metric.FAILED, Double.NaN, reason);
    }

    public boolean isFailure() {
        return metric == Metric.FAILED;
    }
}
