package io.fleetcast.platform.gateway.lwm2m;

import io.fleetcast.platform.ShutdownOrder;
import io.fleetcast.platform.certificate.DeviceCertificates;
import io.fleetcast.platform.certificate.TenantTrustManager;
import io.fleetcast.platform.device.DeviceActivity;
import io.fleetcast.platform.device.DeviceOnline;
import io.fleetcast.platform.device.DeviceTopicHandler;
import io.fleetcast.protocol.DisconnectReason;
import io.fleetcast.protocol.Json;
import io.fleetcast.protocol.OtaAssignment;
import io.fleetcast.protocol.Topics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.elements.config.CertificateAuthenticationMode;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.dtls.CertificateType;
import org.eclipse.californium.scandium.dtls.x509.SingleCertificateProvider;
import org.eclipse.leshan.server.LeshanServer;
import org.eclipse.leshan.server.LeshanServerBuilder;
import org.eclipse.leshan.server.californium.endpoint.CaliforniumServerEndpointsProvider;
import org.eclipse.leshan.server.californium.endpoint.coap.CoapServerEndpointFactoryBuilder;
import org.eclipse.leshan.server.californium.endpoint.coap.CoapServerProtocolProvider;
import org.eclipse.leshan.server.californium.endpoint.coaps.CoapsServerEndpointFactoryBuilder;
import org.eclipse.leshan.server.californium.endpoint.coaps.CoapsServerProtocolProvider;
import org.eclipse.leshan.server.registration.Registration;
import org.eclipse.leshan.server.security.InMemorySecurityStore;
import org.jboss.logging.Logger;

/**
 * The Eclipse Leshan LwM2M server inside the platform: plain CoAP and CoAP over DTLS on UDP, devices
 * registering with their device id as endpoint name. Registrations feed the same registry as MQTT
 * sessions; OTA assignments reach registered devices through object 5. See docs/lwm2m.md and decision
 * 0007.
 *
 * <p>Registrations are held in memory by this node, like MQTT sessions: a device registers with the node
 * its UDP packets reach.
 */
@Singleton
public class Lwm2mServer {

    private static final Logger LOG = Logger.getLogger(Lwm2mServer.class);

    @Inject
    Lwm2mConfig config;

    @Inject
    DeviceCertificates certificates;

    @Inject
    TenantTrustManager trust;

    @Inject
    Pool pool;

    @Inject
    DeviceActivity activity;

    @Inject
    Event<DeviceOnline> online;

    @Inject
    Instance<DeviceTopicHandler> handlers;

    private volatile LeshanServer server;
    private volatile Registrations registrations;
    private volatile FirmwareUpdates firmware;
    private volatile ServerIdentity identity;

    void onStart(@Observes StartupEvent event) {
        if (!config.enabled()) {
            LOG.info("LwM2M server disabled (fleetcast.lwm2m.enabled=false)");
            return;
        }
        identity = serverIdentity();
        PeerCertificates peers = new PeerCertificates(trust);
        CaliforniumServerEndpointsProvider.Builder endpoints = new CaliforniumServerEndpointsProvider.Builder(
                new CoapServerProtocolProvider(), new CoapsServerProtocolProvider());
        endpoints.setConfiguration(configuration ->
                configuration.set(DtlsConfig.DTLS_CLIENT_AUTHENTICATION_MODE, CertificateAuthenticationMode.NEEDED));
        endpoints.addEndpoint(new CoapServerEndpointFactoryBuilder()
                .setURI(new InetSocketAddress(config.host(), config.port()))
                .build());
        endpoints.addEndpoint(new CoapsServerEndpointFactoryBuilder()
                .setURI(new InetSocketAddress(config.host(), config.securePort()))
                .setDtlsConnectorConfig(dtls -> dtls.setCertificateIdentityProvider(
                                new SingleCertificateProvider(identity.key(), identity.chain(), CertificateType.X_509))
                        .setAdvancedCertificateVerifier(peers))
                .build());
        LeshanServer leshan = new LeshanServerBuilder()
                .setEndpointsProviders(endpoints.build())
                // Leshan opens the DTLS endpoint only with a security store; it stays empty, as the
                // platform issues no PSK or raw keys and checks certificates itself.
                .setSecurityStore(new InMemorySecurityStore())
                .setAuthorizer(new DeviceAuthorizer(certificates, peers, pool, config.allowInsecure()))
                .build();
        Lwm2mRequests requests = new Lwm2mRequests(leshan, TimeUnit.SECONDS.toMillis(config.requestTimeoutSeconds()));
        firmware = new FirmwareUpdates(requests, reportHandler());
        registrations = new Registrations(requests, firmware, activity, online);
        leshan.getRegistrationService().addListener(registrations);
        leshan.getObservationService().addListener(registrations);
        leshan.start();
        server = leshan;
        LOG.infof(
                "LwM2M server listening coap=%s:%d coaps=%s:%d allowInsecure=%s",
                config.host(), config.port(), config.host(), config.securePort(), config.allowInsecure());
    }

    void onStop(@Observes @Priority(ShutdownOrder.GATEWAY) ShutdownEvent event) {
        LeshanServer leshan = server;
        if (leshan == null) {
            return;
        }
        server = null;
        var all = leshan.getRegistrationService().getAllRegistrations();
        while (all.hasNext()) {
            registrations.offline(all.next(), DisconnectReason.SERVER_SHUTDOWN);
        }
        leshan.destroy();
    }

    /** The DTLS certificate devices must pin; also what tests give their clients. */
    public X509Certificate certificate() {
        return identity == null ? null : identity.chain()[0];
    }

    /** True while the device holds a registration on this node. */
    public boolean registered(String deviceId) {
        return registration(deviceId) != null;
    }

    /** The registration of a device on this node, or null. */
    Registration registration(String deviceId) {
        LeshanServer leshan = server;
        return leshan == null ? null : leshan.getRegistrationService().getByEndpoint(deviceId);
    }

    /** Translates a message for {@code d/<id>/<subtopic>}: only OTA assignments have an LwM2M form. */
    boolean send(String deviceId, String subtopic, byte[] payload) {
        Registration registration = registration(deviceId);
        if (registration == null || !Topics.OTA.equals(subtopic)) {
            return false;
        }
        OtaAssignment assignment;
        try {
            assignment = Json.decode(payload, OtaAssignment.class);
        } catch (Json.MalformedPayloadException e) {
            LOG.warnf("Not an OTA assignment for deviceId=%s: %s", deviceId, e.getMessage());
            return false;
        }
        return firmware.assign(registration, assignment);
    }

    /**
     * Ends a device's registration, e.g. when it is disabled; it must register again and is then checked
     * again. With a serial, only a registration made with that certificate.
     */
    void deregister(String deviceId, String certificateSerial, DisconnectReason reason) {
        LeshanServer leshan = server;
        Registration registration = registration(deviceId);
        if (leshan == null || registration == null) {
            return;
        }
        if (certificateSerial != null
                && !certificateSerial.equals(
                        registration.getApplicationData().get(DeviceAuthorizer.CERTIFICATE_SERIAL))) {
            return;
        }
        if (leshan.getRegistrationStore().removeRegistration(registration.getId()) != null) {
            registrations.offline(registration, reason);
        }
    }

    private ServerIdentity serverIdentity() {
        if (config.certificate().isPresent() && config.key().isPresent()) {
            return ServerIdentity.read(
                    Path.of(config.certificate().get()), Path.of(config.key().get()));
        }
        LOG.warn("No fleetcast.lwm2m.certificate and key configured: the LwM2M server uses a self-signed"
                + " certificate made for this start; devices cannot pin it across restarts");
        return ServerIdentity.selfSigned("fleetcast-lwm2m");
    }

    /** The feature's handler of OTA reports, found once at start; null when no feature takes them. */
    private DeviceTopicHandler reportHandler() {
        for (DeviceTopicHandler handler : handlers) {
            if (Topics.OTA_REPORT.equals(handler.subtopic())) {
                return handler;
            }
        }
        return null;
    }
}
