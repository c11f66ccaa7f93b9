package io.fleetcast.agent.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Stands in for the platform's MQTT endpoint: records what the agent sends, and lets the test decide how
 * the server answers. SUBSCRIBE and PUBLISH are acknowledged with success unless the test says otherwise.
 */
final class FakeTransport implements Transport {

    final List<FakeConnection> connections = new ArrayList<>();

    @Override
    public Connection connect(ConnectSettings settings, Connection.Events events) {
        FakeConnection connection = new FakeConnection(settings, events);
        connections.add(connection);
        return connection;
    }

    FakeConnection last() {
        if (connections.isEmpty()) {
            throw new AssertionError("the agent opened no connection");
        }
        return connections.get(connections.size() - 1);
    }

    record Message(String topic, byte[] payload, int qos) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    static final class FakeConnection implements Connection {

        final ConnectSettings settings;
        final Connection.Events events;
        final List<String> subscriptions = new ArrayList<>();
        final List<Message> published = new ArrayList<>();
        int publishAckCode = 0;
        boolean disconnected;
        boolean closed;

        FakeConnection(ConnectSettings settings, Connection.Events events) {
            this.settings = settings;
            this.events = events;
        }

        @Override
        public void subscribe(String topicFilter, int qos, Consumer<Ack> acked) {
            subscriptions.add(topicFilter);
            acked.accept(new Ack(qos, null));
        }

        @Override
        public void publish(String topic, byte[] payload, int qos, Consumer<Ack> acked) {
            published.add(new Message(topic, payload, qos));
            acked.accept(new Ack(publishAckCode, null));
        }

        @Override
        public void disconnect(Runnable done) {
            disconnected = true;
            done.run();
        }

        @Override
        public void close() {
            closed = true;
        }

        void accept() {
            events.connected();
        }

        void refuse(int reasonCode) {
            events.refused(reasonCode, null);
        }

        void failToConnect() {
            events.connectFailed("connection refused");
        }

        void disconnectByServer(int reasonCode) {
            events.disconnectedByServer(reasonCode, null);
        }

        void drop() {
            events.lost("connection reset");
        }

        void deliver(String topic, byte[] payload) {
            events.messageArrived(topic, payload);
        }

        List<Message> publishedTo(String topic) {
            return published.stream().filter(m -> m.topic().equals(topic)).toList();
        }
    }
}
