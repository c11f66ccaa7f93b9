package io.fleetcast.platform.certificate;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/** A tenant's certificate authority: it signs the certificates of that tenant's devices only. */
record TenantCa(String tenantId, X509Certificate certificate, PrivateKey key) {

    /** Leaves out the key, so the CA can be logged. */
    @Override
    public String toString() {
        return "TenantCa[tenantId=" + tenantId + ", subject=" + certificate.getSubjectX500Principal() + "]";
    }
}
