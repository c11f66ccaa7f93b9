package io.fleetcast.protocol;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The platform's answer on {@link Topics#PROVISION_RESPONSE}: either a device id with its credential
 * (and a certificate when the request carried a CSR), or an error code. The credential is sent once
 * and never stored in clear by the platform.
 *
 * @param certificate PEM chain, the device certificate first and the tenant CA after it; only when
 *     the request carried a CSR
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProvisionResponse(
        String requestId,
        String deviceId,
        String credential,
        ProvisionError error,
        String message,
        String certificate) {

    public static ProvisionResponse success(String requestId, String deviceId, String credential) {
        return new ProvisionResponse(requestId, deviceId, credential, null, null, null);
    }

    public static ProvisionResponse failure(String requestId, ProvisionError error, String message) {
        return new ProvisionResponse(requestId, null, null, error, message, null);
    }

    public ProvisionResponse withCertificate(String chain) {
        return new ProvisionResponse(requestId, deviceId, credential, error, message, chain);
    }

    @JsonIgnore
    public boolean isSuccess() {
        return error == null && deviceId != null && credential != null;
    }
}
