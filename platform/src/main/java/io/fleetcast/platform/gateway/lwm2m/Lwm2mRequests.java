package io.fleetcast.platform.gateway.lwm2m;

import java.util.function.Consumer;
import org.eclipse.leshan.core.request.DownlinkRequest;
import org.eclipse.leshan.core.response.LwM2mResponse;
import org.eclipse.leshan.server.LeshanServer;
import org.eclipse.leshan.server.registration.Registration;
import org.jboss.logging.Logger;

/**
 * Sends requests to devices asynchronously. A device that does not answer in time, or a request that
 * cannot be sent, is logged and otherwise dropped: the OTA feature's in-progress timeout and its resend
 * on the next registration cover lost requests, so nothing here retries.
 */
final class Lwm2mRequests {

    private static final Logger LOG = Logger.getLogger(Lwm2mRequests.class);

    private final LeshanServer server;
    private final long timeoutMillis;

    Lwm2mRequests(LeshanServer server, long timeoutMillis) {
        this.server = server;
        this.timeoutMillis = timeoutMillis;
    }

    /** Sends a request; the callback runs on a Leshan thread with the device's answer, and must not block. */
    <T extends LwM2mResponse> void send(Registration registration, DownlinkRequest<T> request, Consumer<T> answer) {
        send(registration, request, answer, () -> {});
    }

    /** Sends a request; {@code failed} runs instead of {@code answer} when no answer comes. */
    <T extends LwM2mResponse> void send(
            Registration registration, DownlinkRequest<T> request, Consumer<T> answer, Runnable failed) {
        try {
            server.send(registration, request, timeoutMillis, answer::accept, error -> {
                failed(registration, request, error);
                failed.run();
            });
        } catch (RuntimeException e) {
            failed(registration, request, e);
            failed.run();
        }
    }

    private static void failed(Registration registration, DownlinkRequest<?> request, Exception error) {
        LOG.infof("LwM2M request failed endpoint=%s request=%s error=%s", registration.getEndpoint(), request, error);
    }
}
