package io.fleetcast.agent.internal;

import java.util.Optional;
import java.util.UUID;

/** Keeps the identity for the life of the process only: for tests and for devices that provision each boot. */
final class InMemoryCredentialStore implements CredentialStore {

    private final String requestId = UUID.randomUUID().toString();
    private volatile DeviceIdentity identity;
    private volatile DeviceCertificate certificate;

    InMemoryCredentialStore() {}

    InMemoryCredentialStore(DeviceIdentity identity) {
        this.identity = identity;
    }

    @Override
    public Optional<DeviceIdentity> load() {
        return Optional.ofNullable(identity);
    }

    @Override
    public void save(DeviceIdentity identity) {
        this.identity = identity;
    }

    @Override
    public Optional<DeviceCertificate> loadCertificate() {
        return Optional.ofNullable(certificate);
    }

    @Override
    public void saveCertificate(DeviceCertificate certificate) {
        this.certificate = certificate;
    }

    @Override
    public String provisioningRequestId() {
        return requestId;
    }
}
