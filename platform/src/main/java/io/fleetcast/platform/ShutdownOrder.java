package io.fleetcast.platform;

/**
 * The order of shutdown observers (lower runs first): the gateway closes device sessions, the
 * cluster link leaves NATS, then the activity writer writes them offline, the node leaves the registry, then an embedded database
 * stops.
 */
public final class ShutdownOrder {

    public static final int GATEWAY = 100;
    public static final int CLUSTER = 150;
    public static final int ACTIVITY = 200;
    public static final int NODE = 300;
    public static final int DATABASE = 1000;

    private ShutdownOrder() {}
}
