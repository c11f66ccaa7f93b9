package io.fleetcast.simulators.fanout.broker;

import com.hivemq.embedded.EmbeddedHiveMQ;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs HiveMQ CE embedded until the process is stopped. Arguments: port, work directory. Config:
 * one TCP listener on loopback, in-memory persistence (nothing written to disk), no usage
 * statistics. Everything else is HiveMQ's default, as for the other brokers.
 */
public final class HiveMqMain {

    private HiveMqMain() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path work = Path.of(args[1]);
        Path conf = Files.createDirectories(work.resolve("hivemq-conf"));
        Path data = Files.createDirectories(work.resolve("hivemq-data"));
        Path extensions = Files.createDirectories(work.resolve("hivemq-extensions"));
        writeConfig(conf, port);
        EmbeddedHiveMQ hivemq = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(conf)
                .withDataFolder(data)
                .withExtensionsFolder(extensions)
                .build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            hivemq.stop().join();
            stopped.countDown();
        }));
        hivemq.start().join();
        stopped.await();
    }

    static void writeConfig(Path conf, int port) throws IOException {
        Files.writeString(
                conf.resolve("config.xml"),
                """
                <?xml version="1.0"?>
                <hivemq>
                  <listeners>
                    <tcp-listener>
                      <port>%d</port>
                      <bind-address>127.0.0.1</bind-address>
                    </tcp-listener>
                  </listeners>
                  <persistence>
                    <mode>in-memory</mode>
                  </persistence>
                  <anonymous-usage-statistics>
                    <enabled>false</enabled>
                  </anonymous-usage-statistics>
                </hivemq>
                """
                        .formatted(port));
    }
}
