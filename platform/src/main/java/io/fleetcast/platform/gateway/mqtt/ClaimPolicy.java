package io.fleetcast.platform.gateway.mqtt;

import io.fleetcast.platform.provisioning.ClaimGrant;
import io.fleetcast.protocol.Json;
import io.fleetcast.protocol.ProvisionError;
import io.fleetcast.protocol.ProvisionRequest;
import io.fleetcast.protocol.ProvisionResponse;
import io.fleetcast.protocol.Topics;
import io.fleetcast.routing.TopicFilter;
import io.fleetcast.routing.broker.ClientHandle;
import io.fleetcast.routing.broker.ClientPolicy;
import io.fleetcast.routing.broker.CloseCause;
import io.fleetcast.routing.broker.Message;
import io.fleetcast.routing.broker.PublishVerdict;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * A device provisioning itself with a claim token: it may subscribe only to {@code $prov/res} and
 * publish only to {@code $prov/req}, and gets one answer, sent to this connection alone. The
 * connection is closed after a time limit whatever happens.
 */
final class ClaimPolicy implements ClientPolicy {

    private static final Logger LOG = Logger.getLogger(ClaimPolicy.class);

    private final Gateway gateway;
    private final String clientId;
    private final ClaimGrant grant;
    private final AtomicBoolean requested = new AtomicBoolean();
    private volatile ClientHandle handle;
    private long timer = -1;

    ClaimPolicy(Gateway gateway, String clientId, ClaimGrant grant) {
        this.gateway = gateway;
        this.clientId = clientId;
        this.grant = grant;
    }

    @Override
    public String describe() {
        return "clientId=" + clientId + " claimId=" + grant.claimId() + " tenantId=" + grant.tenantId();
    }

    @Override
    public void opened(ClientHandle client) {
        handle = client;
        gateway.metrics.connectAccepted("claim");
        timer = gateway.vertx.setTimer(
                gateway.config.claimSessionSeconds() * 1000L,
                id -> client.disconnect(ReasonCodes.MAXIMUM_CONNECT_TIME, "claim_session_expired"));
    }

    @Override
    public int onSubscribe(TopicFilter filter, int requestedQos) {
        return Topics.PROVISION_RESPONSE.equals(filter.toString())
                ? Math.min(requestedQos, 1)
                : ReasonCodes.NOT_AUTHORIZED;
    }

    @Override
    public PublishVerdict onPublish(Message message) {
        if (!Topics.PROVISION_REQUEST.equals(message.topic())) {
            gateway.metrics.rejected("topic_not_allowed");
            LOG.infof("PUBLISH refused %s topic=%s reason=topic_not_allowed", describe(), message.topic());
            return PublishVerdict.refuse(ReasonCodes.NOT_AUTHORIZED, "topic_not_allowed");
        }
        ProvisionRequest request;
        try {
            request = Json.decode(message.payload(), ProvisionRequest.class);
        } catch (Json.MalformedPayloadException e) {
            request = null;
        }
        if (request == null || !request.isValid()) {
            gateway.metrics.rejected("invalid_provision_request");
            respond(ProvisionResponse.failure(
                    request == null ? null : request.requestId(),
                    ProvisionError.INVALID_REQUEST,
                    "send requestId, serial and optionally firmwareVersion and csr"));
        } else if (!requested.compareAndSet(false, true)) {
            respond(ProvisionResponse.failure(
                    request.requestId(), ProvisionError.INVALID_REQUEST, "one provisioning per connection"));
        } else {
            gateway.provisioner.provision(grant, request).subscribe().with(this::respond);
        }
        return PublishVerdict.CONSUME; // the request is for the platform alone
    }

    private void respond(ProvisionResponse response) {
        if (!response.isSuccess()) {
            LOG.infof("Provisioning refused %s error=%s", describe(), response.error());
        }
        ClientHandle client = handle;
        if (client == null || !client.isOpen()) {
            // The device left before its answer. It retries with the same request id and, as it never
            // connected, gets its credential again (see ProvisioningBatch).
            LOG.warnf("Provisioning answer lost, client gone %s", describe());
            return;
        }
        // Sent whether or not the client subscribed: the answer belongs to this connection alone.
        client.send(Message.of(Topics.PROVISION_RESPONSE, 1, false, Json.encode(response)));
    }

    @Override
    public void closed(CloseCause cause) {
        if (timer >= 0) {
            gateway.vertx.cancelTimer(timer);
        }
    }
}
