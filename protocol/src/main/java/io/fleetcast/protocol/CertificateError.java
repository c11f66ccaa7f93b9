package io.fleetcast.protocol;

/** Why a certificate request was refused; travels in {@link CertificateResponse#error()}. */
public enum CertificateError {
    /** The payload or its CSR is invalid: not PEM PKCS#10, a bad signature, or not an EC P-256 key. */
    INVALID_REQUEST,
    /** The device already holds the most valid certificates allowed; revoke one or wait for one to expire. */
    TOO_MANY_CERTIFICATES,
    /** Another request of this connection is still being answered. */
    BUSY,
    /** The platform could not complete the request; the device may retry later. */
    UNAVAILABLE
}
