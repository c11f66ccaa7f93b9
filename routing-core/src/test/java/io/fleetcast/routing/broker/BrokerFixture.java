package io.fleetcast.routing.broker;

import io.fleetcast.routing.InterestListener;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A broker on a loopback port with two event loops (so sessions really move between loops), and the
 * clients a test made, all closed after the test. Starts on first use with {@link BrokerConfig#DEFAULT}
 * unless {@link #start(BrokerConfig)} came first.
 */
final class BrokerFixture implements AutoCloseable {

    private Broker broker;
    private BrokerListener listener;
    private final List<AutoCloseable> clients = new ArrayList<>();

    BrokerFixture start(BrokerConfig config) {
        return start(config, OpenPolicy.AUTHENTICATOR);
    }

    BrokerFixture start(BrokerConfig config, Authenticator authenticator) {
        if (broker != null) {
            throw new IllegalStateException("already started");
        }
        broker = new Broker(config, authenticator, BrokerEvents.NONE, InterestListener.NONE);
        try {
            listener = BrokerListener.start(broker, 0, 2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return this;
    }

    Broker broker() {
        if (broker == null) {
            start(BrokerConfig.DEFAULT);
        }
        return broker;
    }

    BrokerStats stats() {
        return broker().stats();
    }

    int port() {
        broker();
        return listener.port();
    }

    String uri() {
        return "tcp://127.0.0.1:" + port();
    }

    Paho3 v3(String clientId) throws Exception {
        return track(new Paho3(uri(), clientId));
    }

    Paho5 v5(String clientId) throws Exception {
        return track(new Paho5(uri(), clientId));
    }

    RawClient raw() throws IOException {
        return track(new RawClient(port()));
    }

    RawClient raw(int receiveBuffer) throws IOException {
        return track(new RawClient(port(), receiveBuffer));
    }

    private <T extends AutoCloseable> T track(T client) {
        clients.add(client);
        return client;
    }

    @Override
    public void close() {
        for (AutoCloseable client : clients) {
            try {
                client.close();
            } catch (Exception ignored) {
                // the test is over; a client that fails to close does not matter
            }
        }
        if (listener != null) {
            listener.close();
        }
    }
}
