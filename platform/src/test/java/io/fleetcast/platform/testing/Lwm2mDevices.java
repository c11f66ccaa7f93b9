package io.fleetcast.platform.testing;

import io.fleetcast.agent.internal.lwm2m.DeviceInstance;
import io.fleetcast.agent.internal.lwm2m.FirmwareInstance;
import io.fleetcast.agent.internal.lwm2m.Lwm2mClients;
import io.fleetcast.agent.internal.lwm2m.Lwm2mFirmware;
import io.fleetcast.agent.lwm2m.PackageInstaller;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import org.eclipse.leshan.client.LeshanClient;
import org.eclipse.leshan.client.observer.LwM2mClientObserverAdapter;
import org.eclipse.leshan.client.servers.LwM2mServer;
import org.eclipse.leshan.core.ResponseCode;
import org.eclipse.leshan.core.request.RegisterRequest;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Real Eclipse Leshan clients with the agent's objects /3 and /5, registering with the platform's
 * LwM2M server over UDP, in the test's process. With an {@link Lwm2mFirmware} the objects are the
 * agent's own firmware path: packages are verified and installed into A/B slots, and the registration
 * is the health check after a reboot.
 */
public final class Lwm2mDevices {

    private Lwm2mDevices() {}

    /** How a registration attempt ended: a registration id, or the refusal (null code: no answer). */
    public record Outcome(String registrationId, ResponseCode refusal) {

        public boolean registered() {
            return registrationId != null;
        }
    }

    /** A running client, its objects, and the first outcome of its registration. */
    public record Device(
            LeshanClient client,
            DeviceInstance device,
            FirmwareInstance firmware,
            CompletableFuture<Outcome> outcome,
            Lwm2mFirmware agentFirmware)
            implements AutoCloseable {

        public Device(
                LeshanClient client,
                DeviceInstance device,
                FirmwareInstance firmware,
                CompletableFuture<Outcome> outcome) {
            this(client, device, firmware, outcome, null);
        }

        /** Deregisters and stops. */
        @Override
        public void close() {
            client.destroy(true);
            if (agentFirmware != null) {
                agentFirmware.close();
            } else {
                firmware.close();
            }
        }
    }

    public static String secureUri() {
        return "coaps://127.0.0.1:" + ConfigProvider.getConfig().getValue("fleetcast.lwm2m.secure-port", Integer.class);
    }

    public static String insecureUri() {
        return "coap://127.0.0.1:" + ConfigProvider.getConfig().getValue("fleetcast.lwm2m.port", Integer.class);
    }

    public static Device secure(
            String endpoint,
            X509Certificate certificate,
            PrivateKey key,
            X509Certificate serverCertificate,
            String firmwareVersion,
            PackageInstaller installer) {
        DeviceInstance device = new DeviceInstance("Acme", "tv-1", "SN-" + endpoint, firmwareVersion);
        FirmwareInstance firmware = new FirmwareInstance(installer, device::firmwareVersion);
        LeshanClient client =
                Lwm2mClients.secure(endpoint, secureUri(), certificate, key, serverCertificate, 60, device, firmware);
        return start(client, device, firmware);
    }

    /** A device whose objects are the agent's firmware path, booted from its slots. */
    public static Device secure(
            String endpoint,
            X509Certificate certificate,
            PrivateKey key,
            X509Certificate serverCertificate,
            Lwm2mFirmware firmware) {
        LeshanClient client = Lwm2mClients.secure(
                endpoint, secureUri(), certificate, key, serverCertificate, 60, firmware.device(), firmware.firmware());
        return start(client, firmware);
    }

    /** See {@link #secure(String, X509Certificate, PrivateKey, X509Certificate, Lwm2mFirmware)}. */
    public static Device insecure(String endpoint, Lwm2mFirmware firmware) {
        return start(
                Lwm2mClients.insecure(endpoint, insecureUri(), 60, firmware.device(), firmware.firmware()), firmware);
    }

    public static Device insecure(String endpoint, PackageInstaller installer) {
        DeviceInstance device = new DeviceInstance("Acme", "tv-1", "SN-" + endpoint, "1.0.0");
        FirmwareInstance firmware = new FirmwareInstance(installer, device::firmwareVersion);
        return start(Lwm2mClients.insecure(endpoint, insecureUri(), 60, device, firmware), device, firmware);
    }

    private static Device start(LeshanClient client, Lwm2mFirmware firmware) {
        return start(client, firmware.device(), firmware.firmware(), firmware);
    }

    private static Device start(LeshanClient client, DeviceInstance device, FirmwareInstance firmware) {
        return start(client, device, firmware, null);
    }

    private static Device start(
            LeshanClient client, DeviceInstance device, FirmwareInstance firmware, Lwm2mFirmware agentFirmware) {
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        client.addObserver(new LwM2mClientObserverAdapter() {
            @Override
            public void onRegistrationSuccess(LwM2mServer server, RegisterRequest request, String registrationId) {
                if (agentFirmware != null) {
                    agentFirmware.registered(); // the health check, as the agent runs it
                }
                outcome.complete(new Outcome(registrationId, null));
            }

            @Override
            public void onRegistrationFailure(
                    LwM2mServer server,
                    RegisterRequest request,
                    ResponseCode responseCode,
                    String errorMessage,
                    Exception cause) {
                outcome.complete(new Outcome(null, responseCode));
            }

            @Override
            public void onRegistrationTimeout(LwM2mServer server, RegisterRequest request) {
                outcome.complete(new Outcome(null, null));
            }
        });
        client.start();
        return new Device(client, device, firmware, outcome, agentFirmware);
    }
}
