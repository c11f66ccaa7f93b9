package io.fleetcast.platform.gateway.lwm2m;

import io.fleetcast.protocol.OtaState;

/**
 * LwM2M object 5 (Firmware Update) in the platform's OTA terms. The mapping is documented in
 * docs/lwm2m.md; keep the two in step.
 */
final class FirmwareObject {

    static final int ID = 5;
    static final int PACKAGE_URI = 1;
    static final int UPDATE = 2;
    static final int STATE = 3;
    static final int UPDATE_RESULT = 5;
    static final int RESULT_UPDATE_FAILED = 8;

    private FirmwareObject() {}

    /** What a device reports as its /5 State, or null when the state says nothing new (Idle). */
    static OtaState ofState(long state) {
        return switch ((int) state) {
            case 1 -> OtaState.DOWNLOADING;
            case 2 -> OtaState.DOWNLOADED;
            case 3 -> OtaState.INSTALLING;
            default -> null;
        };
    }

    /** The outcome an Update Result stands for, or null for 0 (initial) and 11 (deferred by the device). */
    static Outcome ofResult(long result) {
        return switch ((int) result) {
            case 1 -> new Outcome(OtaState.SUCCEEDED, null);
            case 2 -> new Outcome(OtaState.FAILED, "NOT_ENOUGH_STORAGE");
            case 3 -> new Outcome(OtaState.FAILED, "OUT_OF_MEMORY");
            case 4 -> new Outcome(OtaState.FAILED, "CONNECTION_LOST");
                // The device checked the package and refused it: the bundle, not the device, is at fault.
            case 5 -> new Outcome(OtaState.REJECTED, "INTEGRITY_CHECK_FAILED");
            case 6 -> new Outcome(OtaState.REJECTED, "UNSUPPORTED_PACKAGE");
            case 7 -> new Outcome(OtaState.FAILED, "INVALID_URI");
            case 8 -> new Outcome(OtaState.FAILED, "UPDATE_FAILED");
            case 9 -> new Outcome(OtaState.FAILED, "UNSUPPORTED_PROTOCOL");
            case 10 -> new Outcome(OtaState.CANCELED, null);
            default -> null;
        };
    }

    /** A final state and, for failures, the stable error code put into the report. */
    record Outcome(OtaState state, String errorCode) {}
}
