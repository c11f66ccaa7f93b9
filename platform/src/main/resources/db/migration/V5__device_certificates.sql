-- Device certificates: one CA per tenant, and every certificate its CA issued.

CREATE TABLE tenant_cas (
    tenant_id      text PRIMARY KEY REFERENCES tenants (id),
    -- PEM of the self-signed CA certificate (EC P-256).
    certificate    text NOT NULL,
    -- PKCS#8 private key, AES-256-GCM under a sub-key of the server key; the tenant id is the
    -- associated data, so a row moved to another tenant does not decrypt.
    key_nonce      bytea NOT NULL,
    key_ciphertext bytea NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE device_certificates (
    -- Random 127-bit serial in lower-case hex; unique across tenants in practice, enforced here.
    serial      text PRIMARY KEY,
    device_id   uuid NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    -- The tenant whose CA signed it; CONNECT refuses a certificate of another tenant than the device's.
    tenant_id   text NOT NULL REFERENCES tenants (id),
    -- SHA-256 of the DER encoding: how the gateway finds the certificate a TLS client presented.
    fingerprint bytea NOT NULL,
    not_before  timestamptz NOT NULL,
    not_after   timestamptz NOT NULL,
    revoked_at  timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX device_certificates_by_fingerprint ON device_certificates (fingerprint);
-- Listing a device's certificates and counting its valid ones for the rotation limit.
CREATE INDEX device_certificates_by_device ON device_certificates (device_id, not_before);
