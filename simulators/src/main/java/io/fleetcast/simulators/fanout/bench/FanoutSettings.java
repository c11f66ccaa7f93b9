package io.fleetcast.simulators.fanout.bench;

import io.netty.handler.codec.mqtt.MqttVersion;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;

/**
 * Everything a fan-out run is configured with. {@link #full()} is the documented benchmark,
 * {@link #quick()} a smoke run of a couple of minutes.
 *
 * @param subscribers connections held (S0) and subscribers of the S4/S5 topic
 * @param midSubscribers subscribers of the S2, S6 and S7 topic (the first ones)
 * @param smallSubscribers subscribers of the S1 topic (the first ones)
 * @param unrelatedSubscriptions extra subscriptions that S6 adds and that match nothing published
 * @param startDeliveries deliveries a second of each ramp's first step
 * @param stepFactor each ramp step offers this many times the step before
 * @param maxSteps a ramp stops here even if the broker still keeps up
 * @param warmup unmeasured publishing at the start of each step
 * @param measure measured publishing of each step
 * @param minMessages measured messages per step at least, for ramps at a fraction of a message a second
 * @param drainTimeout how long after the last message deliveries may still arrive
 * @param bursts S5 bursts
 * @param stalledFraction share of the S7 subscribers that stop reading
 * @param stall how long S7 publishes
 * @param stallRate S7 publish rate, or 0 for half this broker's own S2 QoS 0 knee
 * @param connectsPerSecond pace of new connections
 * @param connectsInFlight handshakes at once (below the broker's accept backlog)
 * @param qos1Window the publisher's unacknowledged QoS 1 messages at most
 * @param eventLoops the subscribers' event-loop threads
 * @param mqttVersion what the generator's clients speak
 * @param scenarios the scenarios to run (S1 to S7; S0 always runs, it connects), empty for all
 */
public record FanoutSettings(
        int subscribers,
        int midSubscribers,
        int smallSubscribers,
        int unrelatedSubscriptions,
        double startDeliveries,
        double stepFactor,
        int maxSteps,
        Duration warmup,
        Duration measure,
        int minMessages,
        Duration drainTimeout,
        int bursts,
        double stalledFraction,
        Duration stall,
        double stallRate,
        int connectsPerSecond,
        int connectsInFlight,
        int qos1Window,
        int eventLoops,
        MqttVersion mqttVersion,
        Set<String> scenarios) {

    public FanoutSettings {
        scenarios = Set.copyOf(scenarios);
    }

    /**
     * Whether a scenario runs. A name covers the scenarios it names: "S2-qos1" runs when S2 was chosen,
     * the group "S1-S2-S4-qos1" when any of the three was.
     */
    boolean runs(String scenario) {
        return scenarios.isEmpty() || Arrays.stream(scenario.split("-")).anyMatch(scenarios::contains);
    }

    public static FanoutSettings full() {
        return new FanoutSettings(
                19_000,
                10_000,
                1_000,
                10_000,
                25_000,
                2,
                6,
                Duration.ofMillis(500),
                Duration.ofMillis(2500),
                3,
                Duration.ofSeconds(5),
                10,
                0.01,
                Duration.ofSeconds(10),
                0,
                2_000,
                256,
                100,
                2,
                MqttVersion.MQTT_3_1_1,
                Set.of());
    }

    public static FanoutSettings quick() {
        return new FanoutSettings(
                2_000,
                1_000,
                100,
                1_000,
                20_000,
                2,
                5,
                Duration.ofMillis(500),
                Duration.ofMillis(1500),
                3,
                Duration.ofSeconds(3),
                3,
                0.01,
                Duration.ofSeconds(4),
                0,
                2_000,
                256,
                100,
                2,
                MqttVersion.MQTT_3_1_1,
                Set.of());
    }

    FanoutSettings withSubscribers(int subscribers, int mid, int small, int unrelated) {
        return new FanoutSettings(
                subscribers,
                mid,
                small,
                unrelated,
                startDeliveries,
                stepFactor,
                maxSteps,
                warmup,
                measure,
                minMessages,
                drainTimeout,
                bursts,
                stalledFraction,
                stall,
                stallRate,
                connectsPerSecond,
                connectsInFlight,
                qos1Window,
                eventLoops,
                mqttVersion,
                scenarios);
    }
}
