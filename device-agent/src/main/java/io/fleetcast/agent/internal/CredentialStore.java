package io.fleetcast.agent.internal;

import java.io.IOException;
import java.util.Optional;

/**
 * Keeps the device identity across restarts. The platform sends the credential once and keeps only a
 * hash, and it refuses to provision the same serial twice; a lost credential therefore needs an operator.
 */
interface CredentialStore {

    /**
     * @return empty before the device is provisioned
     * @throws IllegalStateException when a stored identity exists but cannot be read
     */
    Optional<DeviceIdentity> load();

    /** Stores the identity durably: once this returns, a power cut does not lose it. */
    void save(DeviceIdentity identity) throws IOException;

    /**
     * The request id of this device's provisioning, created and stored durably on first use. Every
     * attempt sends the same id, so when an answer is lost the platform recognises the retry and issues
     * the credential again instead of refusing the serial as a replay.
     */
    String provisioningRequestId() throws IOException;

    /**
     * @return the device's key and certificate chain (certificate mode), empty before the first one
     * @throws IllegalStateException when a stored certificate exists but cannot be read
     */
    Optional<DeviceCertificate> loadCertificate();

    /** Stores key and chain durably, replacing the previous ones. */
    void saveCertificate(DeviceCertificate certificate) throws IOException;
}
