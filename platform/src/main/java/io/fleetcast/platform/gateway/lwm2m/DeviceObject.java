package io.fleetcast.platform.gateway.lwm2m;

import io.fleetcast.protocol.ReportedState;
import java.util.List;
import org.eclipse.leshan.core.node.LwM2mNode;
import org.eclipse.leshan.core.node.LwM2mObjectInstance;
import org.eclipse.leshan.core.node.LwM2mSingleResource;

/** LwM2M object 3 (Device): what of it the registry keeps. */
final class DeviceObject {

    static final int ID = 3;
    static final int MANUFACTURER = 0;
    static final int MODEL_NUMBER = 1;
    static final int SERIAL_NUMBER = 2;
    static final int FIRMWARE_VERSION = 3;

    private DeviceObject() {}

    /** The identity fields of /3/0, for the log; the reported twin has no place for them yet. */
    record Facts(String manufacturer, String model, String serial, String firmwareVersion) {

        static Facts of(LwM2mNode node) {
            if (!(node instanceof LwM2mObjectInstance instance)) {
                return new Facts(null, null, null, null);
            }
            return new Facts(
                    text(instance.getResource(MANUFACTURER)),
                    text(instance.getResource(MODEL_NUMBER)),
                    text(instance.getResource(SERIAL_NUMBER)),
                    text(instance.getResource(FIRMWARE_VERSION)));
        }

        /**
         * The reported state an LwM2M device stands for: its firmware version. It has no A/B slot, apps or
         * capabilities in /3; those stay empty. Null when the version is missing or not a valid token.
         */
        ReportedState reportedState() {
            ReportedState state = new ReportedState(firmwareVersion, null, List.of(), List.of());
            return state.problems().isEmpty() ? state : null;
        }
    }

    /** The value of a single string resource, or null. */
    static String text(LwM2mNode node) {
        if (node instanceof LwM2mSingleResource resource && resource.getValue() != null) {
            return resource.getValue().toString();
        }
        return null;
    }

    /** The value of a single integer resource, or null. */
    static Long integer(LwM2mNode node) {
        if (node instanceof LwM2mSingleResource resource && resource.getValue() instanceof Number number) {
            return number.longValue();
        }
        return null;
    }
}
