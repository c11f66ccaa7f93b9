package io.fleetcast.platform.provisioning;

import io.fleetcast.protocol.ProvisionError;

/** The outcome of checking a claim token: a grant, or why there is none. */
public record ClaimVerdict(ClaimGrant grant, ProvisionError error) {

    static ClaimVerdict granted(ClaimGrant grant) {
        return new ClaimVerdict(grant, null);
    }

    static ClaimVerdict refused(ProvisionError error) {
        return new ClaimVerdict(null, error);
    }

    public boolean isGranted() {
        return grant != null;
    }
}
