package io.fleetcast.agent.internal.lwm2m;

import io.fleetcast.agent.lwm2m.PackageException;
import io.fleetcast.agent.lwm2m.PackageInstaller;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * The stand-in installer until the agent's OTA updater implements {@link PackageInstaller}: downloads the
 * package to {@code firmware/package.bin} under the state directory (via a temporary file, so a
 * half-written package is never taken for a complete one), and "installs" it by keeping it as
 * {@code firmware/installed.bin}. It verifies nothing and changes no firmware version.
 */
public final class FileDownloadInstaller implements PackageInstaller {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Path directory;

    public FileDownloadInstaller(Path stateDir) {
        this.directory = stateDir.resolve("firmware");
    }

    @Override
    public void download(URI uri) throws PackageException, InterruptedException {
        HttpURLConnection connection;
        try {
            Files.createDirectories(directory);
            connection = (HttpURLConnection) uri.toURL().openConnection();
        } catch (IOException | IllegalArgumentException e) {
            throw new PackageException(PackageException.Reason.INVALID_URI, e.getMessage(), e);
        }
        connection.setConnectTimeout((int) TIMEOUT.toMillis());
        connection.setReadTimeout((int) TIMEOUT.toMillis());
        Path partial = directory.resolve("package.part");
        try {
            int status = connection.getResponseCode();
            if (status >= 400 && status < 500) {
                // The URL is wrong or no longer valid (e.g. an expired signed link): retrying cannot help.
                throw new PackageException(PackageException.Reason.INVALID_URI, "HTTP " + status);
            }
            if (status != HttpURLConnection.HTTP_OK) {
                throw new PackageException(PackageException.Reason.CONNECTION_LOST, "HTTP " + status);
            }
            try (InputStream in = connection.getInputStream();
                    OutputStream out = Files.newOutputStream(partial)) {
                byte[] buffer = new byte[64 * 1024];
                for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                    if (Thread.interrupted()) {
                        throw new InterruptedException("download canceled");
                    }
                    out.write(buffer, 0, read);
                }
            }
            if (Files.size(partial) == 0) {
                throw new PackageException(PackageException.Reason.INTEGRITY_CHECK_FAILED, "empty package");
            }
            Files.move(partial, directory.resolve("package.bin"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new PackageException(PackageException.Reason.CONNECTION_LOST, e.getMessage(), e);
        } finally {
            connection.disconnect();
        }
    }

    @Override
    public String install() throws PackageException {
        Path downloaded = directory.resolve("package.bin");
        try {
            Files.move(downloaded, directory.resolve("installed.bin"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new PackageException(PackageException.Reason.UPDATE_FAILED, e.getMessage(), e);
        }
        return null;
    }
}
