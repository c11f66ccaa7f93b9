package io.fleetcast.agent.internal.lwm2m;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetcast.agent.lwm2m.PackageException;
import io.fleetcast.agent.lwm2m.PackageInstaller;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.leshan.client.servers.LwM2mServer;
import org.eclipse.leshan.core.model.ObjectLoader;
import org.eclipse.leshan.core.node.LwM2mSingleResource;
import org.eclipse.leshan.core.request.argument.Arguments;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The /5 state machine with pull delivery, driven as a server would, without a network. */
class FirmwareInstanceTest {

    private static final LwM2mServer SERVER = LwM2mServer.SYSTEM;

    private final BlockingQueue<String> installed = new LinkedBlockingQueue<>();
    private final CountDownLatch downloadGate = new CountDownLatch(1);
    private volatile PackageException downloadFailure;
    private volatile URI downloaded;

    private final FirmwareInstance firmware = new FirmwareInstance(
            new PackageInstaller() {
                @Override
                public void download(URI uri) throws PackageException, InterruptedException {
                    downloadGate.await();
                    if (downloadFailure != null) {
                        throw downloadFailure;
                    }
                    downloaded = uri;
                }

                @Override
                public String install() {
                    return "2.0.0";
                }
            },
            installed::add);

    @BeforeEach
    void attachModel() {
        // As the client's object tree does; changes are announced by path, which needs the model.
        firmware.setModel(ObjectLoader.loadDefault().stream()
                .filter(model -> model.id == 5)
                .findFirst()
                .orElseThrow());
    }

    @AfterEach
    void close() {
        downloadGate.countDown();
        firmware.close();
    }

    @Test
    void downloads_on_package_uri_and_installs_on_update() throws Exception {
        assertThat(writeUri("http://bundles/fw.bin")).isTrue();
        assertThat(state()).isEqualTo(FirmwareInstance.DOWNLOADING);

        downloadGate.countDown();
        awaitState(FirmwareInstance.DOWNLOADED);
        assertThat(downloaded).isEqualTo(URI.create("http://bundles/fw.bin"));
        assertThat(firmware.execute(SERVER, FirmwareInstance.UPDATE, Arguments.emptyArguments())
                        .isSuccess())
                .isTrue();

        assertThat(installed.poll(10, TimeUnit.SECONDS)).isEqualTo("2.0.0");
        awaitState(FirmwareInstance.IDLE);
        assertThat(result()).isEqualTo(1);
    }

    @Test
    void update_without_a_downloaded_package_is_refused() {
        assertThat(firmware.execute(SERVER, FirmwareInstance.UPDATE, Arguments.emptyArguments())
                        .isSuccess())
                .isFalse();
    }

    @Test
    void a_failed_download_sets_its_update_result() throws Exception {
        downloadFailure = new PackageException(PackageException.Reason.INVALID_URI, "HTTP 404");
        writeUri("http://bundles/missing");
        downloadGate.countDown();

        awaitResult(7);
        assertThat(state()).isEqualTo(FirmwareInstance.IDLE);
    }

    @Test
    void unsupported_scheme_is_result_9_without_a_download() {
        writeUri("ftp://bundles/fw.bin");

        assertThat(state()).isEqualTo(FirmwareInstance.IDLE);
        assertThat(result()).isEqualTo(9);
    }

    @Test
    void empty_package_uri_cancels_a_download_and_resets() {
        writeUri("http://bundles/fw.bin");

        writeUri("");

        assertThat(state()).isEqualTo(FirmwareInstance.IDLE);
        assertThat(result()).isZero();
        assertThat(firmware.getAvailableResourceIds(null)).containsAll(List.of(1, 2, 3, 5));
    }

    private boolean writeUri(String uri) {
        return firmware.write(SERVER, true, FirmwareInstance.PACKAGE_URI, LwM2mSingleResource.newStringResource(1, uri))
                .isSuccess();
    }

    private long state() {
        return (Long) ((LwM2mSingleResource)
                        firmware.read(SERVER, FirmwareInstance.STATE).getContent())
                .getValue();
    }

    private long result() {
        return (Long) ((LwM2mSingleResource)
                        firmware.read(SERVER, FirmwareInstance.UPDATE_RESULT).getContent())
                .getValue();
    }

    private void awaitState(long expected) {
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(state()).isEqualTo(expected));
    }

    private void awaitResult(long expected) {
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(result()).isEqualTo(expected));
    }
}
