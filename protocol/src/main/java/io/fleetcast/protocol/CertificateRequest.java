package io.fleetcast.protocol;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * Published by a connected device on {@code d/<id>/cr} ({@link Topics#CERTIFICATE_REQUEST}) to get a
 * new certificate while its current one is still valid. The key behind the CSR is new and never leaves
 * the device.
 *
 * @param requestId chosen by the device, echoed in the response
 * @param csr PEM PKCS#10 request over an EC P-256 key
 */
public record CertificateRequest(String requestId, String csr) {

    /** A P-256 CSR in PEM is about 500 characters; anything far larger is not one. */
    public static final int MAX_CSR_LENGTH = 4096;

    @JsonIgnore
    public boolean isValid() {
        return requestId != null
                && !requestId.isEmpty()
                && requestId.length() <= 64
                && csr != null
                && !csr.isEmpty()
                && csr.length() <= MAX_CSR_LENGTH;
    }
}
