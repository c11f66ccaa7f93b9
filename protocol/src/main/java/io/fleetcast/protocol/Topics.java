package io.fleetcast.protocol;

/**
 * Topic names of the device protocol. Names are short on purpose: every byte of a topic is repeated
 * in every delivery of a fan-out.
 *
 * <ul>
 *   <li>{@code d/<deviceId>/...}: a device's own prefix. The device may publish and subscribe only here.
 *   <li>{@code $prov/req}, {@code $prov/res}: provisioning by claim, private to the claim connection.
 *   <li>{@code b/<tenant>/...}: broadcast topics of a tenant, its models and its channels; devices may
 *       read them, never write.
 * </ul>
 */
public final class Topics {

    /** Prefix of every device's own topics. */
    public static final String DEVICE_ROOT = "d/";

    /** Device to platform: the reported twin (firmware version, slot, apps, capabilities). */
    public static final String STATE = "s";

    /** Device to platform: telemetry samples. */
    public static final String TELEMETRY = "t";

    /** Platform to device: commands. */
    public static final String COMMANDS = "c";

    /** Device to platform: replies to commands. */
    public static final String REPLIES = "r";

    /**
     * Device to platform: a {@link CertificateRequest} for a new certificate while the current one is
     * still valid (rotation with overlapping validity).
     */
    public static final String CERTIFICATE_REQUEST = "cr";

    /** Platform to device: the {@link CertificateResponse}, sent on the requesting connection only. */
    public static final String CERTIFICATE_RESPONSE = "cs";

    /** Platform to device: an {@link OtaAssignment} (install or cancel a firmware update). */
    public static final String OTA = "o";

    /** Device to platform: an {@link OtaReport} on the progress of an assignment. */
    public static final String OTA_REPORT = "op";

    /** A claim connection publishes its {@link ProvisionRequest} here. */
    public static final String PROVISION_REQUEST = "$prov/req";

    /** The platform answers a claim connection here, and only to that connection. */
    public static final String PROVISION_RESPONSE = "$prov/res";

    /** Prefix of broadcast topics. */
    public static final String BROADCAST_ROOT = "b/";

    private Topics() {}

    /** {@code d/<deviceId>/} */
    public static String devicePrefix(String deviceId) {
        return DEVICE_ROOT + deviceId + '/';
    }

    public static String state(String deviceId) {
        return devicePrefix(deviceId) + STATE;
    }

    public static String telemetry(String deviceId) {
        return devicePrefix(deviceId) + TELEMETRY;
    }

    public static String commands(String deviceId) {
        return devicePrefix(deviceId) + COMMANDS;
    }

    public static String replies(String deviceId) {
        return devicePrefix(deviceId) + REPLIES;
    }

    public static String certificateRequest(String deviceId) {
        return devicePrefix(deviceId) + CERTIFICATE_REQUEST;
    }

    public static String certificateResponse(String deviceId) {
        return devicePrefix(deviceId) + CERTIFICATE_RESPONSE;
    }

    public static String ota(String deviceId) {
        return devicePrefix(deviceId) + OTA;
    }

    public static String otaReport(String deviceId) {
        return devicePrefix(deviceId) + OTA_REPORT;
    }

    /** {@code b/<tenant>/t}: every device of a tenant. */
    public static String tenantBroadcast(String tenant) {
        return BROADCAST_ROOT + tenant + "/t";
    }

    /** {@code b/<tenant>/m/<model>}: every device of one model. */
    public static String modelBroadcast(String tenant, String model) {
        return BROADCAST_ROOT + tenant + "/m/" + model;
    }

    /** {@code b/<tenant>/c/<channel>}: every device tuned to a channel. */
    public static String channelBroadcast(String tenant, String channel) {
        return BROADCAST_ROOT + tenant + "/c/" + channel;
    }

    /**
     * True when a topic name or filter lies strictly under the device's own prefix. Wildcards are
     * allowed after the prefix ({@code d/<id>/#}); a filter that starts with a wildcard never matches,
     * so it can never reach another device's topics.
     */
    public static boolean isUnderDevicePrefix(String topic, String deviceId) {
        String prefix = devicePrefix(deviceId);
        return topic.length() > prefix.length() && topic.startsWith(prefix);
    }

    /**
     * True when a filter names only broadcast topics of the given tenant, so a device may subscribe
     * to it read-only.
     */
    public static boolean isTenantBroadcast(String filter, String tenant) {
        String prefix = BROADCAST_ROOT + tenant + '/';
        return filter.length() > prefix.length() && filter.startsWith(prefix);
    }

    /**
     * The suffix of a device topic after {@code d/<deviceId>/}, or {@code null} when the topic lies
     * outside the device's prefix.
     */
    public static String deviceSubtopic(String topic, String deviceId) {
        return isUnderDevicePrefix(topic, deviceId)
                ? topic.substring(devicePrefix(deviceId).length())
                : null;
    }
}
