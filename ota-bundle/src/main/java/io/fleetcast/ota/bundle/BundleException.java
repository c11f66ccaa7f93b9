package io.fleetcast.ota.bundle;

/** A bundle that must not be installed, with the stable reason. */
public final class BundleException extends Exception {

    private final BundleErrorCode code;

    public BundleException(BundleErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public BundleErrorCode code() {
        return code;
    }
}
