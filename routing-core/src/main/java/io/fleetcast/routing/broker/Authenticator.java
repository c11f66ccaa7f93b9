package io.fleetcast.routing.broker;

import java.util.concurrent.CompletionStage;

/**
 * Decides whether a CONNECT is accepted and with what rights. The host (the platform) implements it
 * with its device registry, claims, tokens, or the anonymous mode for local testing.
 */
@FunctionalInterface
public interface Authenticator {

    /**
     * Checks a CONNECT. May complete on any thread; the broker continues on the connection's event
     * loop. A failed stage refuses the client with Server unavailable.
     */
    CompletionStage<Admission> authenticate(ConnectRequest request);
}
