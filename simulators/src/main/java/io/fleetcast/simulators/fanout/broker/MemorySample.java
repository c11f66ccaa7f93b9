package io.fleetcast.simulators.fanout.broker;

/**
 * @param rssBytes resident set of the broker process (VmRSS)
 * @param heapUsedBytes live Java heap after a full GC, or -1 for a native broker
 */
public record MemorySample(long rssBytes, long heapUsedBytes) {}
