package io.fleetcast.platform.audit;

import java.util.Arrays;
import java.util.Optional;

/** What a change did, with the kind of thing it changed. The wire names are stable: filters use them. */
public enum AuditAction {
    MODEL_CREATED("model.created", "model"),
    MODEL_UPDATED("model.updated", "model"),
    MODEL_DELETED("model.deleted", "model"),
    GROUP_CREATED("group.created", "group"),
    GROUP_UPDATED("group.updated", "group"),
    GROUP_DELETED("group.deleted", "group"),
    GROUP_MEMBERS_ADDED("group.members.added", "group"),
    GROUP_MEMBERS_REMOVED("group.members.removed", "group"),
    DEVICE_DISABLED("device.disabled", "device"),
    DEVICE_ENABLED("device.enabled", "device"),
    DEVICE_DELETED("device.deleted", "device"),
    DEVICE_PROVISIONED("device.provisioned", "device"),
    /** A bulk pre-registration: many devices, so no single target; the summary counts them. */
    DEVICES_IMPORTED("devices.imported", null),
    /** A device certificate was issued, at provisioning or by rotation; the target is the device. */
    CERTIFICATE_ISSUED("device.certificate.issued", "device"),
    CERTIFICATE_REVOKED("device.certificate.revoked", "device"),
    CLAIM_CREATED("claim.created", "claim"),
    CLAIM_REVOKED("claim.revoked", "claim"),
    SIGNING_KEY_REGISTERED("signing-key.registered", "signing-key"),
    SIGNING_KEY_REVOKED("signing-key.revoked", "signing-key"),
    /** A bundle was uploaded and verified; the target is the stored artifact (its sha256). */
    BUNDLE_PUBLISHED("bundle.published", "artifact"),
    ROLLOUT_CREATED("rollout.created", "rollout"),
    ROLLOUT_APPROVED("rollout.approved", "rollout"),
    ROLLOUT_STARTED("rollout.started", "rollout"),
    ROLLOUT_PAUSED("rollout.paused", "rollout"),
    ROLLOUT_RESUMED("rollout.resumed", "rollout"),
    ROLLOUT_CANCELED("rollout.canceled", "rollout"),
    /** The scheduler moved the rollout (running, paused by a threshold, finished, stopped). */
    ROLLOUT_STATE_CHANGED("rollout.state.changed", "rollout"),
    /** One device's action was canceled; the target is the rollout, the summary names the device. */
    ROLLOUT_ACTION_CANCELED("rollout.action.canceled", "rollout");

    private final String wireName;
    private final String targetType;

    AuditAction(String wireName, String targetType) {
        this.wireName = wireName;
        this.targetType = targetType;
    }

    public String wireName() {
        return wireName;
    }

    /** The kind of thing the action changes, or null when it changes many (an import). */
    public String targetType() {
        return targetType;
    }

    public static Optional<AuditAction> fromWireName(String name) {
        return Arrays.stream(values())
                .filter(action -> action.wireName.equals(name))
                .findFirst();
    }
}
