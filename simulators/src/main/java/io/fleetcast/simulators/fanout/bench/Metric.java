package io.fleetcast.simulators.fanout.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Every figure the fan-out benchmark records, with its unit and which direction is better. */
public enum Metric {
    CONNECTS_PER_SECOND("connects/s", "1/s", true),
    CONNECTED("connections held", "", true),
    BYTES_PER_CONNECTION("memory per connection (total)", "B", false),
    HEAP_BYTES_PER_CONNECTION("heap per connection (after full GC)", "B", false),
    NATIVE_BYTES_PER_CONNECTION("native per connection (RSS growth)", "B", false),
    KNEE_DELIVERED_PER_SECOND("delivered msg/s at the knee", "1/s", true),
    KNEE_PUBLISH_RATE("publish rate at the knee", "1/s", true),
    SATURATED("saturated within the steps (1 yes, 0 no)", "", false),
    GOOD_DELIVERED_PER_SECOND("delivered msg/s at the last step below the knee", "1/s", true),
    P50_MS("p50 latency below the knee", "ms", false),
    P99_MS("p99 latency below the knee", "ms", false),
    P999_MS("p99.9 latency below the knee", "ms", false),
    BROKER_CPU_AT_KNEE("broker CPU at the knee (cores)", "", false),
    GENERATOR_CPU_AT_KNEE("generator CPU at the knee (cores)", "", false),
    BURST_MEDIAN_MS("time to last delivery, median of bursts", "ms", false),
    BURST_MAX_MS("time to last delivery, worst burst", "ms", false),
    BURST_LOST("deliveries lost over all bursts", "", false),
    BURST_BROKER_USER_CPU_MS("broker CPU in its own code per burst, median", "ms", false),
    BURST_BROKER_SYSTEM_CPU_MS("broker CPU in the kernel per burst, median", "ms", false),
    BURST_GENERATOR_CPU_MS("generator CPU per burst, median", "ms", false),
    STALL_PUBLISH_RATE("publish rate with stalled subscribers", "1/s", true),
    STALL_OTHERS_P99_MS("p99 latency of the reading subscribers", "ms", false),
    STALL_OTHERS_LOSS_RATIO("loss among the reading subscribers", "", false),
    STALL_RSS_GROWTH_BYTES("broker RSS growth during the stall", "B", false),
    STALL_HEAP_GROWTH_BYTES("broker heap growth during the stall (after full GC)", "B", false),
    STALL_DISCONNECTED("stalled subscribers the broker disconnected", "", false),
    FAILED("failed", "", false);

    private final String label;
    private final String unit;
    private final boolean higherIsBetter;

    Metric(String label, String unit, boolean higherIsBetter) {
        this.label = label;
        this.unit = unit;
        this.higherIsBetter = higherIsBetter;
    }

    public String label() {
        return label;
    }

    public String unit() {
        return unit;
    }

    /** Whether ratios between brokers mean anything; not for a count held fixed or a yes/no flag. */
    public boolean hasRatios() {
        return this != CONNECTED && this != SATURATED && this != FAILED;
    }

    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    /** The column name in result files: lower case, e.g. knee_delivered_per_second. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Metric> ofKey(String key) {
        return Arrays.stream(values()).filter(m -> m.key().equals(key)).findFirst();
    }
}
