package io.fleetcast.agent.internal.lwm2m;

import java.util.List;
import java.util.Map;
import org.eclipse.leshan.client.resource.BaseInstanceEnabler;
import org.eclipse.leshan.client.servers.LwM2mServer;
import org.eclipse.leshan.core.model.ObjectModel;
import org.eclipse.leshan.core.model.ResourceModel;
import org.eclipse.leshan.core.response.ReadResponse;

/**
 * LwM2M object 3 (Device), instance 0: who made the device, what it is, and the firmware version it
 * runs. The platform reads the version into the device's reported state and observes it.
 */
public final class DeviceInstance extends BaseInstanceEnabler {

    static final int MANUFACTURER = 0;
    static final int MODEL_NUMBER = 1;
    static final int SERIAL_NUMBER = 2;
    static final int FIRMWARE_VERSION = 3;
    static final int ERROR_CODE = 11;
    static final int SUPPORTED_BINDINGS = 16;

    private final String manufacturer;
    private final String model;
    private final String serial;
    private volatile String firmwareVersion;

    public DeviceInstance(String manufacturer, String model, String serial, String firmwareVersion) {
        super(0);
        this.manufacturer = manufacturer;
        this.model = model;
        this.serial = serial;
        this.firmwareVersion = firmwareVersion;
    }

    /** Changes the version this object reports, e.g. after an install, and tells observers. */
    public void firmwareVersion(String version) {
        if (version != null && !version.equals(firmwareVersion)) {
            firmwareVersion = version;
            fireResourceChange(FIRMWARE_VERSION);
        }
    }

    @Override
    public ReadResponse read(LwM2mServer server, int resourceId) {
        return switch (resourceId) {
            case MANUFACTURER -> ReadResponse.success(resourceId, manufacturer);
            case MODEL_NUMBER -> ReadResponse.success(resourceId, model);
            case SERIAL_NUMBER -> ReadResponse.success(resourceId, serial);
            case FIRMWARE_VERSION -> ReadResponse.success(resourceId, firmwareVersion);
                // One error code instance, 0: no error.
            case ERROR_CODE -> ReadResponse.success(resourceId, Map.of(0, 0L), ResourceModel.Type.INTEGER);
            case SUPPORTED_BINDINGS -> ReadResponse.success(resourceId, "U");
            default -> super.read(server, resourceId);
        };
    }

    @Override
    public List<Integer> getAvailableResourceIds(ObjectModel model) {
        return List.of(MANUFACTURER, MODEL_NUMBER, SERIAL_NUMBER, FIRMWARE_VERSION, ERROR_CODE, SUPPORTED_BINDINGS);
    }
}
