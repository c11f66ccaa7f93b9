package io.fleetcast.agent.internal;

import java.time.Duration;
import java.time.Instant;

/**
 * When the agent asks for a new certificate: once less than a fraction of the current one's lifetime is
 * left. The old one stays valid meanwhile, so a device that is offline or refused for a while still has
 * time to try again before it is locked out.
 */
final class Rotation {

    private Rotation() {}

    /** The instant rotation is due: {@code notAfter - fraction * lifetime}. */
    static Instant dueAt(Instant notBefore, Instant notAfter, double remainingFraction) {
        long lifetimeMillis = Duration.between(notBefore, notAfter).toMillis();
        return notAfter.minusMillis((long) (lifetimeMillis * remainingFraction));
    }

    /** How long until rotation is due; zero when it is due already. */
    static Duration delay(Instant notBefore, Instant notAfter, double remainingFraction, Instant now) {
        Duration delay = Duration.between(now, dueAt(notBefore, notAfter, remainingFraction));
        return delay.isNegative() ? Duration.ZERO : delay;
    }
}
