package io.fleetcast.platform.group;

public enum GroupKind {
    /** Members are added and removed explicitly. */
    STATIC,
    /** Members are the devices that match a filter, evaluated in SQL each time. */
    DYNAMIC
}
