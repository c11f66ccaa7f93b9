package io.fleetcast.simulators.fanout.load;

/**
 * What subscribers need to know about the step being published, shared read-only with every event
 * loop through one volatile reference.
 *
 * @param step id carried in each payload; deliveries of other steps count as stale
 * @param warmupMessages sequences below this are delivered and counted but not measured
 * @param windowStartNanos deliveries arriving from here ...
 * @param windowEndNanos ... to here make up the delivered rate
 */
public record StepPlan(int step, long warmupMessages, long windowStartNanos, long windowEndNanos) {

    static final StepPlan NONE = new StepPlan(-1, 0, Long.MAX_VALUE, Long.MIN_VALUE);
}
