package io.fleetcast.agent.internal;

/**
 * Hands the events of a connection over to the agent thread. The MQTT client calls back on its own
 * threads; acting there would need locks everywhere and could block the client.
 */
final class AgentThreadEvents implements Connection.Events {

    private final Scheduler scheduler;
    private final Connection.Events target;

    AgentThreadEvents(Scheduler scheduler, Connection.Events target) {
        this.scheduler = scheduler;
        this.target = target;
    }

    @Override
    public void connected() {
        scheduler.execute(target::connected);
    }

    @Override
    public void refused(int reasonCode, String reason) {
        scheduler.execute(() -> target.refused(reasonCode, reason));
    }

    @Override
    public void connectFailed(String problem) {
        scheduler.execute(() -> target.connectFailed(problem));
    }

    @Override
    public void disconnectedByServer(int reasonCode, String reasonString) {
        scheduler.execute(() -> target.disconnectedByServer(reasonCode, reasonString));
    }

    @Override
    public void lost(String problem) {
        scheduler.execute(() -> target.lost(problem));
    }

    @Override
    public void messageArrived(String topic, byte[] payload) {
        scheduler.execute(() -> target.messageArrived(topic, payload));
    }
}
