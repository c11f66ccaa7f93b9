package io.fleetcast.agent.internal.lwm2m;

import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.List;
import org.eclipse.leshan.client.LeshanClient;
import org.eclipse.leshan.client.LeshanClientBuilder;
import org.eclipse.leshan.client.californium.endpoint.CaliforniumClientEndpointsProvider;
import org.eclipse.leshan.client.californium.endpoint.coap.CoapClientProtocolProvider;
import org.eclipse.leshan.client.californium.endpoint.coaps.CoapsClientProtocolProvider;
import org.eclipse.leshan.client.object.Security;
import org.eclipse.leshan.client.object.Server;
import org.eclipse.leshan.client.resource.BaseInstanceEnablerFactory;
import org.eclipse.leshan.client.resource.LwM2mInstanceEnabler;
import org.eclipse.leshan.client.resource.LwM2mObjectEnabler;
import org.eclipse.leshan.client.resource.ObjectsInitializer;
import org.eclipse.leshan.core.LwM2mId;

/**
 * Builds the Leshan client of a device: its endpoint name is its device id, it registers with one
 * server (short id 1) and offers objects 3 (Device) and 5 (Firmware Update).
 */
public final class Lwm2mClients {

    private static final int SHORT_SERVER_ID = 1;

    private static final BaseInstanceEnablerFactory NO_NEW_INSTANCES = new BaseInstanceEnablerFactory() {
        @Override
        public LwM2mInstanceEnabler create() {
            throw new UnsupportedOperationException("single-instance object");
        }
    };

    private Lwm2mClients() {}

    /**
     * A client that registers over DTLS with the device certificate the platform issued, and pins the
     * server's certificate.
     *
     * @param serverUri {@code coaps://host:5684}
     * @param lifetimeSeconds how long a registration lives without an update
     */
    public static LeshanClient secure(
            String deviceId,
            String serverUri,
            X509Certificate certificate,
            PrivateKey key,
            X509Certificate serverCertificate,
            long lifetimeSeconds,
            DeviceInstance device,
            FirmwareInstance firmware) {
        try {
            return build(
                    deviceId,
                    Security.x509(
                            serverUri,
                            SHORT_SERVER_ID,
                            certificate.getEncoded(),
                            key.getEncoded(),
                            serverCertificate.getEncoded()),
                    lifetimeSeconds,
                    device,
                    firmware);
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("cannot encode a certificate", e);
        }
    }

    /** A client without security ({@code coap://host:5683}); the platform refuses it unless told not to. */
    public static LeshanClient insecure(
            String deviceId, String serverUri, long lifetimeSeconds, DeviceInstance device, FirmwareInstance firmware) {
        return build(deviceId, Security.noSec(serverUri, SHORT_SERVER_ID), lifetimeSeconds, device, firmware);
    }

    private static LeshanClient build(
            String deviceId,
            Security security,
            long lifetimeSeconds,
            DeviceInstance device,
            FirmwareInstance firmware) {
        ObjectsInitializer objects = new ObjectsInitializer();
        objects.setInstancesForObject(LwM2mId.SECURITY, security);
        objects.setInstancesForObject(LwM2mId.SERVER, new Server(SHORT_SERVER_ID, lifetimeSeconds));
        objects.setInstancesForObject(LwM2mId.DEVICE, device);
        objects.setInstancesForObject(LwM2mId.FIRMWARE, firmware);
        // Both are single-instance objects a server cannot create; Leshan still wants a factory for them.
        objects.setFactoryForObject(LwM2mId.DEVICE, NO_NEW_INSTANCES);
        objects.setFactoryForObject(LwM2mId.FIRMWARE, NO_NEW_INSTANCES);
        List<LwM2mObjectEnabler> enablers =
                objects.create(LwM2mId.SECURITY, LwM2mId.SERVER, LwM2mId.DEVICE, LwM2mId.FIRMWARE);
        return new LeshanClientBuilder(deviceId)
                .setObjects(enablers)
                .setEndpointsProviders(new CaliforniumClientEndpointsProvider.Builder(
                                new CoapClientProtocolProvider(), new CoapsClientProtocolProvider())
                        .build())
                .build();
    }
}
