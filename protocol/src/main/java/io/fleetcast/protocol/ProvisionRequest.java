package io.fleetcast.protocol;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.regex.Pattern;

/**
 * Published by a claim connection on {@link Topics#PROVISION_REQUEST}.
 *
 * @param requestId chosen by the device, echoed in the response
 * @param serial the device's serial number, unique within the manufacturer
 * @param firmwareVersion the version the device runs from the factory
 * @param csr optional PEM PKCS#10 request over an EC P-256 key generated on the device; when present
 *     the response also carries a device certificate (see {@link ProvisionResponse#certificate()})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProvisionRequest(String requestId, String serial, String firmwareVersion, String csr) {

    /** Serial numbers as printed on labels: letters, digits and a few separators. */
    public static final Pattern SERIAL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");

    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+:~-]{0,63}");

    /** A request without a CSR: the device authenticates with its credential only. */
    public ProvisionRequest(String requestId, String serial, String firmwareVersion) {
        this(requestId, serial, firmwareVersion, null);
    }

    @JsonIgnore
    public boolean isValid() {
        return requestId != null
                && !requestId.isEmpty()
                && requestId.length() <= 64
                && serial != null
                && SERIAL.matcher(serial).matches()
                && (firmwareVersion == null || VERSION.matcher(firmwareVersion).matches())
                && (csr == null || csr.length() <= CertificateRequest.MAX_CSR_LENGTH);
    }
}
