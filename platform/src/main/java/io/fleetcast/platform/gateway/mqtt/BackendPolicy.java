package io.fleetcast.platform.gateway.mqtt;

import io.fleetcast.protocol.Topics;
import io.fleetcast.routing.TopicFilter;
import io.fleetcast.routing.broker.ClientPolicy;
import io.fleetcast.routing.broker.CloseCause;
import io.fleetcast.routing.broker.Message;
import io.fleetcast.routing.broker.PublishVerdict;
import org.jboss.logging.Logger;

/**
 * A back end that authenticated with an OIDC access token of its tenant (a platform service, a
 * partner's server pushing shoppable moments): it may publish to and subscribe to its tenant's
 * broadcast topics {@code b/<tenant>/...}, nothing else. Devices never write there.
 */
final class BackendPolicy implements ClientPolicy {

    private static final Logger LOG = Logger.getLogger(BackendPolicy.class);

    private final Gateway gateway;
    private final String clientId;
    private final String tenantId;
    private final String subject;

    BackendPolicy(Gateway gateway, String clientId, String tenantId, String subject) {
        this.gateway = gateway;
        this.clientId = clientId;
        this.tenantId = tenantId;
        this.subject = subject;
    }

    @Override
    public PublishVerdict onPublish(Message message) {
        if (!Topics.isTenantBroadcast(message.topic(), tenantId)) {
            gateway.metrics.rejected("topic_not_allowed");
            LOG.infof("PUBLISH refused %s topic=%s reason=topic_not_allowed", describe(), message.topic());
            return PublishVerdict.refuse(ReasonCodes.NOT_AUTHORIZED, "topic_not_allowed");
        }
        gateway.metrics.received("broadcast");
        return PublishVerdict.ROUTE;
    }

    @Override
    public int onSubscribe(TopicFilter filter, int requestedQos) {
        if (!Topics.isTenantBroadcast(filter.filter(), tenantId)) {
            gateway.metrics.rejected("filter_not_allowed");
            return ReasonCodes.NOT_AUTHORIZED;
        }
        return requestedQos;
    }

    @Override
    public void closed(CloseCause cause) {
        gateway.metrics.disconnected(cause.name().toLowerCase());
    }

    @Override
    public String describe() {
        return "backend clientId=" + clientId + " tenantId=" + tenantId + " subject=" + subject;
    }
}
