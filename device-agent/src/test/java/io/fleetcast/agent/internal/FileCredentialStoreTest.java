package io.fleetcast.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileCredentialStoreTest {

    @TempDir
    Path root;

    private Path stateDir() {
        return root.resolve("state");
    }

    @Test
    void credential_store_is_empty_before_provisioning() {
        assertThat(new FileCredentialStore(stateDir()).load()).isEmpty();
    }

    @Test
    void credential_store_survives_restart() throws IOException {
        new FileCredentialStore(stateDir()).save(new DeviceIdentity("dev-1", "c-secret"));

        FileCredentialStore afterRestart = new FileCredentialStore(stateDir());

        assertThat(afterRestart.load()).contains(new DeviceIdentity("dev-1", "c-secret"));
    }

    @Test
    void provisioning_request_id_stays_the_same_across_restarts() throws IOException {
        String first = new FileCredentialStore(stateDir()).provisioningRequestId();

        String afterRestart = new FileCredentialStore(stateDir()).provisioningRequestId();

        assertThat(afterRestart).isEqualTo(first).isNotBlank();
    }

    @Test
    void credential_store_never_leaves_a_half_written_file() throws IOException {
        new FileCredentialStore(stateDir()).save(new DeviceIdentity("dev-1", "old"));
        FileCredentialStore crashing = new FileCredentialStore(stateDir(), () -> {
            throw new UncheckedIOException(new IOException("disk full"));
        });

        assertThatThrownBy(() -> crashing.save(new DeviceIdentity("dev-1", "new")))
                .hasMessageContaining("disk full");

        assertThat(new FileCredentialStore(stateDir()).load()).contains(new DeviceIdentity("dev-1", "old"));
        assertThat(filesIn(stateDir())).containsExactly(FileCredentialStore.FILE_NAME);
    }

    @Test
    void ignores_a_temporary_file_left_by_a_crash() throws IOException {
        new FileCredentialStore(stateDir()).save(new DeviceIdentity("dev-1", "c-secret"));
        Files.writeString(stateDir().resolve(".credential-123.tmp"), "{\"deviceId\":\"dev-1\",\"cred");

        assertThat(new FileCredentialStore(stateDir()).load()).contains(new DeviceIdentity("dev-1", "c-secret"));
        assertThat(filesIn(stateDir())).containsExactly(FileCredentialStore.FILE_NAME);
    }

    @Test
    void credential_file_is_readable_by_its_owner_only() throws IOException {
        assumeTrue(root.getFileSystem().supportedFileAttributeViews().contains("posix"));

        new FileCredentialStore(stateDir()).save(new DeviceIdentity("dev-1", "c-secret"));

        Path file = stateDir().resolve(FileCredentialStore.FILE_NAME);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stateDir())))
                .isEqualTo("rwx------");
    }

    @Test
    void refuses_a_damaged_credential_file_with_a_clear_message() throws IOException {
        Files.createDirectories(stateDir());
        Files.write(
                stateDir().resolve(FileCredentialStore.FILE_NAME), "{\"deviceId\":".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> new FileCredentialStore(stateDir()).load())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is damaged");
    }

    private static List<String> filesIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }
}
