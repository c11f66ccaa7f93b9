package io.fleetcast.protocol;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The platform's answer on {@link Topics#PROVISION_RESPONSE}: either a device id with its credential,
 * or an error code. The credential is sent once and never stored in clear by the platform.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProvisionResponse(
        String requestId, String deviceId, String credential, ProvisionError error, String message) {

    public static ProvisionResponse success(String requestId, String deviceId, String credential) {
        return new ProvisionResponse(requestId, deviceId, credential, null, null);
    }

    public static ProvisionResponse failure(String requestId, ProvisionError error, String message) {
        return new ProvisionResponse(requestId, null, null, error, message);
    }

    @JsonIgnore
    public boolean isSuccess() {
        return error == null && deviceId != null && credential != null;
    }
}
