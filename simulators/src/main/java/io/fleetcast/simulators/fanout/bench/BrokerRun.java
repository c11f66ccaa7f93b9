package io.fleetcast.simulators.fanout.bench;

import io.fleetcast.simulators.fanout.broker.MemorySample;
import io.fleetcast.simulators.fanout.broker.ProcessMemory;
import io.fleetcast.simulators.fanout.broker.RunningBroker;
import io.fleetcast.simulators.fanout.load.ClientOptions;
import io.fleetcast.simulators.fanout.load.FanoutFailure;
import io.fleetcast.simulators.fanout.load.FanoutFailures;
import io.fleetcast.simulators.fanout.load.Publisher;
import io.fleetcast.simulators.fanout.load.StepResult;
import io.fleetcast.simulators.fanout.load.StepRunner;
import io.fleetcast.simulators.fanout.load.Subscribers;
import io.fleetcast.simulators.fanout.load.Transport;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * All scenarios against one started broker, in an order that reuses the connections: S0 connects
 * them, then S1/S2/S4 and S5 and S6 at QoS 0, S1/S2/S4 at QoS 1, and S7 last because its stalled
 * subscribers cannot be brought back to a clean state. A scenario that fails is recorded as failed
 * and the next one runs; a broker that refuses the first connection fails the whole run.
 */
final class BrokerRun {

    private final int run;
    private final RunningBroker broker;
    private final FanoutSettings settings;
    private final ResultFile results;
    private final Consumer<String> progress;

    BrokerRun(int run, RunningBroker broker, FanoutSettings settings, ResultFile results, Consumer<String> progress) {
        this.run = run;
        this.broker = broker;
        this.settings = settings;
        this.results = results;
        this.progress = progress;
    }

    void execute() throws InterruptedException {
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", broker.port());
        String prefix = "fb" + run + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
        ClientOptions options = ClientOptions.of(address, settings.mqttVersion(), prefix);
        Transport subscriberLoops = Transport.create("fanout-sub", settings.eventLoops());
        // The publisher gets a loop of its own so that its schedule does not wait behind deliveries.
        Transport publisherLoop = Transport.create("fanout-pub", 1);
        try {
            probe(publisherLoop, options);
            Thread.sleep(2_000); // the baseline after start-up work has settled, as after connecting
            MemorySample before = broker.memory();
            try (Subscribers subscribers = Subscribers.connect(
                    subscriberLoops,
                    options,
                    settings.subscribers(),
                    settings.connectsInFlight(),
                    settings.connectsPerSecond())) {
                idleConnections(subscribers, before);
                if (subscribers.connected() < settings.subscribers() * 0.99) {
                    throw new FanoutFailure("only " + subscribers.connected() + " of " + settings.subscribers()
                            + " connected: " + subscribers.connectFailures());
                }
                StepRunner steps = new StepRunner(
                        () -> Publisher.connect(publisherLoop, options, settings.qos1Window(), 1_000_000),
                        subscribers,
                        settings.drainTimeout());
                try {
                    scenarios(subscribers, steps);
                } finally {
                    steps.closePublisher();
                }
            }
        } finally {
            publisherLoop.close();
            subscriberLoops.close();
        }
    }

    /** One connection first: a broker that refuses it would refuse all 19,000, slowly. */
    private void probe(Transport transport, ClientOptions options) throws InterruptedException {
        try (Subscribers probe = Subscribers.connect(
                transport, options.withClientIdPrefix(options.clientIdPrefix() + "-probe"), 1, 1, 1)) {
            if (probe.connected() == 0) {
                throw new FanoutFailure(
                        "first connection failed: " + probe.connectFailures().keySet());
            }
        }
    }

    private void idleConnections(Subscribers subscribers, MemorySample before) throws InterruptedException {
        Thread.sleep(2_000); // let the broker settle its per-connection allocations
        MemorySample after = broker.memory();
        int n = subscribers.connected();
        progress.accept(String.format(
                Locale.ROOT,
                "  S0: %d connected in %.1f s (failures %s), RSS %d -> %d MiB, heap %d -> %d MiB",
                n,
                subscribers.connectSeconds(),
                subscribers.connectFailures(),
                before.rssBytes() >> 20,
                after.rssBytes() >> 20,
                before.heapUsedBytes() >> 20,
                after.heapUsedBytes() >> 20));
        record("S0", Metric.CONNECTED, n, "");
        record("S0", Metric.CONNECTS_PER_SECOND, n / subscribers.connectSeconds(), "");
        if (n == 0) {
            return;
        }
        double nativePer = (double) (after.rssBytes() - before.rssBytes()) / n;
        record("S0", Metric.NATIVE_BYTES_PER_CONNECTION, nativePer, "");
        double total = nativePer;
        if (broker.isJvm() && before.heapUsedBytes() >= 0 && after.heapUsedBytes() >= 0) {
            double heapPer = (double) (after.heapUsedBytes() - before.heapUsedBytes()) / n;
            record("S0", Metric.HEAP_BYTES_PER_CONNECTION, heapPer, "");
            total += heapPer;
        }
        record("S0", Metric.BYTES_PER_CONNECTION, total, "");
    }

    private void scenarios(Subscribers subscribers, StepRunner steps) throws InterruptedException {
        Ramp ramp = new Ramp(steps, settings, broker, progress);
        int failed = subscribers.subscribe(i -> Topics.fanout(i, settings), MqttQoS.AT_MOST_ONCE);
        if (failed > 0) {
            throw new FanoutFailure(failed + " subscribers could not subscribe");
        }
        ramp.warmUp(Topics.MID, settings.midSubscribers());
        double midKneeRate = 0;
        for (Fanout fanout : Fanout.values()) {
            Ramp.Outcome outcome = guarded(
                    fanout.scenario(MqttQoS.AT_MOST_ONCE),
                    () -> ramp.run(fanout.topic, MqttQoS.AT_MOST_ONCE, fanout.receivers(settings)));
            if (outcome != null && fanout == Fanout.S2) {
                midKneeRate = outcome.knee().rate();
            }
        }
        guarded("S5", () -> bursts(steps));
        guarded("S6", () -> wildcards(subscribers, ramp));
        guarded("S1-S2-S4-qos1", () -> {
            int refused = subscribers.subscribe(i -> Topics.fanout(i, settings), MqttQoS.AT_LEAST_ONCE);
            if (refused > 0) {
                throw new FanoutFailure(refused + " subscribers could not subscribe at QoS 1");
            }
            for (Fanout fanout : Fanout.values()) {
                guarded(
                        fanout.scenario(MqttQoS.AT_LEAST_ONCE),
                        () -> ramp.run(fanout.topic, MqttQoS.AT_LEAST_ONCE, fanout.receivers(settings)));
            }
            return null;
        });
        double stallRate = settings.stallRate() > 0 ? settings.stallRate() : midKneeRate / 2;
        guarded("S7", () -> stall(subscribers, steps, stallRate));
    }

    /** The three fan-outs of one topic each. */
    enum Fanout {
        S1(Topics.SMALL),
        S2(Topics.MID),
        S4(Topics.ALL);

        final String topic;

        Fanout(String topic) {
            this.topic = topic;
        }

        int receivers(FanoutSettings settings) {
            return switch (this) {
                case S1 -> settings.smallSubscribers();
                case S2 -> settings.midSubscribers();
                case S4 -> settings.subscribers();
            };
        }

        String scenario(MqttQoS qos) {
            return name() + "-qos" + qos.value();
        }
    }

    private interface Scenario<T> {
        T run() throws InterruptedException;
    }

    private <T> T guarded(String scenario, Scenario<T> body) throws InterruptedException {
        if (!settings.runs(scenario)) {
            return null;
        }
        progress.accept("  " + scenario + " ...");
        if (!broker.isAlive()) {
            record(scenario, Metric.FAILED, Double.NaN, "broker exited");
            return null;
        }
        try {
            T outcome = body.run();
            if (outcome instanceof Ramp.Outcome ramp) {
                recordRamp(scenario, ramp);
            }
            return outcome;
        } catch (RuntimeException e) {
            // Whatever went wrong, the next scenario and the next broker still run.
            String reason =
                    e instanceof FanoutFailure ? e.getMessage() : FanoutFailures.describe(e) + ": " + e.getMessage();
            progress.accept("  " + scenario + " failed: " + reason);
            record(scenario, Metric.FAILED, Double.NaN, reason);
            return null;
        }
    }

    private void recordRamp(String scenario, Ramp.Outcome outcome) {
        StepResult knee = outcome.knee();
        record(scenario, Metric.KNEE_DELIVERED_PER_SECOND, knee.deliveredPerSecond(), "");
        record(scenario, Metric.KNEE_PUBLISH_RATE, knee.rate(), "");
        record(scenario, Metric.SATURATED, outcome.saturated() ? 1 : 0, "");
        record(scenario, Metric.BROKER_CPU_AT_KNEE, outcome.brokerCpuAtKnee(), "");
        record(scenario, Metric.GENERATOR_CPU_AT_KNEE, outcome.generatorCpuAtKnee(), "");
        StepResult good = outcome.lastGood();
        if (good != null) {
            record(scenario, Metric.GOOD_DELIVERED_PER_SECOND, good.deliveredPerSecond(), "");
            record(scenario, Metric.P50_MS, good.deliveries().percentileMillis(50), "");
            record(scenario, Metric.P99_MS, good.deliveries().percentileMillis(99), "");
            record(scenario, Metric.P999_MS, good.deliveries().percentileMillis(99.9), "");
        }
    }

    /**
     * S5: one message to every subscriber, {@code bursts} times; time until the last one has it. The
     * CPU both sides spend per burst (the broker's split into its own code and the kernel's socket
     * writes) tells which side bounds the time.
     */
    private Void bursts(StepRunner steps) throws InterruptedException {
        List<Double> reached = new ArrayList<>();
        List<Double> brokerUser = new ArrayList<>();
        List<Double> brokerSystem = new ArrayList<>();
        List<Double> generator = new ArrayList<>();
        long lost = 0;
        for (int i = 0; i < settings.bursts(); i++) {
            ProcessMemory.CpuTimes brokerBefore = broker.cpuTimes();
            double generatorBefore = CpuClock.processSeconds();
            StepResult burst = steps.run(Topics.ALL, MqttQoS.AT_MOST_ONCE, 1, 0, 1, settings.subscribers());
            ProcessMemory.CpuTimes brokerAfter = broker.cpuTimes();
            generator.add((CpuClock.processSeconds() - generatorBefore) * 1000);
            if (brokerBefore != null && brokerAfter != null) {
                brokerUser.add((brokerAfter.user() - brokerBefore.user()) * 1000);
                brokerSystem.add((brokerAfter.system() - brokerBefore.system()) * 1000);
            }
            // A burst that reached nobody has no last delivery; its losses still count.
            if (burst.deliveries().measured() > 0) {
                reached.add(
                        (burst.deliveries().lastArrivalNanos() - burst.sent().startNanos()) / 1e6);
            }
            lost += burst.lost();
            Thread.sleep(500);
        }
        if (reached.isEmpty()) {
            throw new FanoutFailure("no burst reached any subscriber");
        }
        double median = median(reached);
        double worst = Collections.max(reached);
        progress.accept(String.format(
                Locale.ROOT,
                "  S5: median %.1f ms, max %.1f ms, lost %d; per burst broker CPU %.0f ms user + %.0f ms kernel,"
                        + " generator CPU %.0f ms",
                median,
                worst,
                lost,
                median(brokerUser),
                median(brokerSystem),
                median(generator)));
        record("S5", Metric.BURST_MEDIAN_MS, median, "");
        record("S5", Metric.BURST_MAX_MS, worst, "");
        record("S5", Metric.BURST_LOST, lost, "");
        record("S5", Metric.BURST_BROKER_USER_CPU_MS, median(brokerUser), "");
        record("S5", Metric.BURST_BROKER_SYSTEM_CPU_MS, median(brokerSystem), "");
        record("S5", Metric.BURST_GENERATOR_CPU_MS, median(generator), "");
        return null;
    }

    private static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted =
                values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /** S6: S2's fan-out reached through exact and wildcard filters, among many unrelated ones. */
    private Ramp.Outcome wildcards(Subscribers subscribers, Ramp ramp) throws InterruptedException {
        int refused = subscribers.subscribe(i -> Topics.s6(i, settings), MqttQoS.AT_MOST_ONCE);
        if (refused > 0) {
            throw new FanoutFailure(refused + " subscribers could not subscribe the S6 filters");
        }
        Ramp.Outcome outcome = ramp.run(Topics.S6_TOPIC, MqttQoS.AT_MOST_ONCE, settings.midSubscribers());
        // Later scenarios compare with S1-S4 at QoS 0, so they should see the same topic index.
        subscribers.unsubscribe(i -> Topics.s6(i, settings));
        return outcome;
    }

    /** S7: S2 at a fixed rate while a share of its subscribers stop reading their sockets. */
    private Void stall(Subscribers subscribers, StepRunner steps, double rate) throws InterruptedException {
        if (rate <= 0) {
            throw new FanoutFailure("no S2 knee to derive the rate from; set --stall-rate");
        }
        // The subscriptions stay at QoS 1 from the scenarios before: a QoS 0 publish is delivered at
        // QoS 0 either way, and subscribing 19,000 again costs nats-server minutes (it deletes a
        // JetStream consumer per QoS 1 subscription).
        int mid = settings.midSubscribers();
        int toStall = (int) Math.round(mid * settings.stalledFraction());
        // The stalled ones are the last of the S2 subscribers, so S1's stay untouched.
        List<Integer> stalledIndexes = new ArrayList<>();
        for (int i = mid - toStall; i < mid; i++) {
            stalledIndexes.add(i);
        }
        int stalled = subscribers.stopReading(mid - toStall, toStall);
        MemorySample before = broker.memory();
        long messages = Math.max(
                settings.minMessages(), Math.round(rate * settings.stall().toMillis() / 1000.0));
        StepResult result = steps.run(Topics.MID, MqttQoS.AT_MOST_ONCE, rate, 0, messages, mid - stalled);
        MemorySample after = broker.memory();
        long disconnected =
                stalledIndexes.stream().filter(i -> !subscribers.isOpen(i)).count();
        progress.accept(String.format(
                Locale.ROOT,
                "  S7: %d stalled, rate %.2f/s, others p99 %.2f ms, loss %.4f, RSS %+d MiB, %d stalled disconnected",
                stalled,
                rate,
                result.deliveries().percentileMillis(99),
                result.lossRatio(),
                (after.rssBytes() - before.rssBytes()) >> 20,
                disconnected));
        record("S7", Metric.STALL_PUBLISH_RATE, rate, "");
        record("S7", Metric.STALL_OTHERS_P99_MS, result.deliveries().percentileMillis(99), "");
        record("S7", Metric.STALL_OTHERS_LOSS_RATIO, result.lossRatio(), "");
        record("S7", Metric.STALL_RSS_GROWTH_BYTES, after.rssBytes() - before.rssBytes(), "");
        if (broker.isJvm()) {
            record("S7", Metric.STALL_HEAP_GROWTH_BYTES, after.heapUsedBytes() - before.heapUsedBytes(), "");
        }
        record("S7", Metric.STALL_DISCONNECTED, disconnected, "");
        return null;
    }

    private void record(String scenario, Metric metric, double value, String note) {
        results.append(new ResultRow(run, broker.name(), scenario, metric, value, note));
    }
}
