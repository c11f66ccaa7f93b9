package io.fleetcast.protocol;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The platform's answer on {@code d/<id>/cs} ({@link Topics#CERTIFICATE_RESPONSE}): a new certificate
 * chain, or an error. The device keeps using its current certificate until its next connect.
 *
 * @param certificate PEM chain: the new device certificate, then the tenant CA
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CertificateResponse(String requestId, String certificate, CertificateError error, String message) {

    public static CertificateResponse issued(String requestId, String chain) {
        return new CertificateResponse(requestId, chain, null, null);
    }

    public static CertificateResponse failure(String requestId, CertificateError error, String message) {
        return new CertificateResponse(requestId, null, error, message);
    }

    @JsonIgnore
    public boolean isSuccess() {
        return error == null && certificate != null;
    }
}
