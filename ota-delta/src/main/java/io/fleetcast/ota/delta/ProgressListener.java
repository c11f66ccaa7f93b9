package io.fleetcast.ota.delta;

/** Told how far a long step got. Called on the working thread; must be quick. */
@FunctionalInterface
public interface ProgressListener {

    ProgressListener NONE = (done, total) -> {};

    void progress(long done, long total);
}
