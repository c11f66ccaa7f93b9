package io.fleetcast.routing.jmh;

/** Rough retained-heap figures for benchmark setups; good to an order of magnitude, not a byte. */
final class Heap {

    private Heap() {}

    static long usedAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }

    static void report(String what, long before, long after, int subscriptions) {
        System.out.printf(
                "%s: index retains about %,d bytes for %,d subscriptions (%.1f bytes each)%n",
                what, after - before, subscriptions, (after - before) / (double) subscriptions);
    }
}
