package io.fleetcast.simulators.fanout.bench;

import io.fleetcast.simulators.fanout.broker.RunningBroker;
import io.fleetcast.simulators.fanout.load.StepResult;
import io.fleetcast.simulators.fanout.load.StepRunner;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Finds a broker's knee on one topic: raises the publish rate step by step ({@code stepFactor}
 * times the offered deliveries each time) until the broker no longer delivers what is offered.
 * The knee is the highest delivered rate seen; latency is reported from the last step that still
 * kept up, because latency measured while saturated only measures queue length.
 */
final class Ramp {

    /** A step keeps up when it delivers at least 95% of what was offered, with next to no loss. */
    static final double TOLERANCE = 0.05;

    private final StepRunner steps;
    private final FanoutSettings settings;
    private final RunningBroker broker;
    private final Consumer<String> progress;

    Ramp(StepRunner steps, FanoutSettings settings, RunningBroker broker, Consumer<String> progress) {
        this.steps = steps;
        this.settings = settings;
        this.broker = broker;
        this.progress = progress;
    }

    /** The steps taken, the knee and the last step below it. */
    record Outcome(
            List<StepResult> steps,
            StepResult knee,
            StepResult lastGood,
            boolean saturated,
            double brokerCpuAtKnee,
            double generatorCpuAtKnee) {}

    /** Publishes for a while without recording anything, so that the JIT has compiled both sides. */
    void warmUp(String topic, int receivers) throws InterruptedException {
        double rate = settings.startDeliveries() / receivers;
        long messages = Math.max(
                settings.minMessages(), Math.round(rate * 3 * settings.measure().toMillis() / 1000.0));
        steps.run(topic, MqttQoS.AT_MOST_ONCE, rate, messages, 1, receivers);
    }

    Outcome run(String topic, MqttQoS qos, int receivers) throws InterruptedException {
        List<StepResult> taken = new ArrayList<>();
        StepResult knee = null;
        StepResult lastGood = null;
        double kneeBrokerCpu = Double.NaN;
        double kneeGeneratorCpu = Double.NaN;
        boolean saturated = false;
        double rate = settings.startDeliveries() / receivers;
        for (int i = 0; i < settings.maxSteps(); i++) {
            long warmup = (long) Math.ceil(rate * settings.warmup().toMillis() / 1000.0);
            long measured = Math.max(
                    settings.minMessages(), Math.round(rate * settings.measure().toMillis() / 1000.0));
            double brokerCpu = broker.cpuSeconds();
            double generatorCpu = CpuClock.processSeconds();
            long start = System.nanoTime();
            StepResult step = steps.run(topic, qos, rate, warmup, measured, receivers);
            double wall = (System.nanoTime() - start) / 1e9;
            brokerCpu = (broker.cpuSeconds() - brokerCpu) / wall;
            generatorCpu = (CpuClock.processSeconds() - generatorCpu) / wall;
            taken.add(step);
            progress.accept(String.format(
                    Locale.ROOT,
                    "  %s %s rate %.2f/s offered %.0f delivered %.0f/s lost %d stale %d p99 %.2f ms broker cpu %.2f gen cpu %.2f",
                    topic,
                    qos,
                    rate,
                    step.offeredPerSecond(),
                    step.deliveredPerSecond(),
                    step.lost(),
                    step.deliveries().stale(),
                    step.deliveries().percentileMillis(99),
                    brokerCpu,
                    generatorCpu));
            if (knee == null || step.deliveredPerSecond() > knee.deliveredPerSecond()) {
                knee = step;
                kneeBrokerCpu = brokerCpu;
                kneeGeneratorCpu = generatorCpu;
            }
            if (!step.keptUp(TOLERANCE)) {
                saturated = true;
                break;
            }
            lastGood = step;
            rate *= settings.stepFactor();
        }
        if (lastGood == null && saturated) {
            // Saturated at the first step: one step well below it still gives latency figures.
            double below = settings.startDeliveries() / receivers / (settings.stepFactor() * settings.stepFactor());
            StepResult step = steps.run(
                    topic,
                    qos,
                    below,
                    (long) Math.ceil(below * settings.warmup().toMillis() / 1000.0),
                    Math.max(
                            settings.minMessages(),
                            Math.round(below * settings.measure().toMillis() / 1000.0)),
                    receivers);
            taken.add(step);
            if (step.keptUp(TOLERANCE)) {
                lastGood = step;
            }
        }
        return new Outcome(taken, knee, lastGood, saturated, kneeBrokerCpu, kneeGeneratorCpu);
    }
}
