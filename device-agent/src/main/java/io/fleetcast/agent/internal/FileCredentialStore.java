package io.fleetcast.agent.internal;

import io.fleetcast.protocol.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * Keeps the identity in {@code credential.json} in the state directory, and in certificate mode the
 * device's private key with its certificate chain in {@code certificate.json} (one file, so that key and
 * certificate are always replaced together).
 *
 * <p>A save writes a temporary file, forces it to disk, and renames it over the old file, then forces the
 * directory: after a power cut the file holds either the old identity or the new one, never a torn mix.
 * Where the file system is POSIX, the file is created readable by its owner only, from the start rather
 * than by a later chmod that would leave a window.
 */
final class FileCredentialStore implements CredentialStore {

    static final String FILE_NAME = "credential.json";
    static final String REQUEST_FILE_NAME = "provisioning-request";
    static final String CERTIFICATE_FILE_NAME = "certificate.json";

    private static final Logger LOG = Logger.getLogger(FileCredentialStore.class.getName());
    private static final String TEMP_PREFIX = ".credential-";
    private static final String TEMP_SUFFIX = ".tmp";

    private final Path dir;
    private final Path file;
    private final Runnable beforeRename;

    FileCredentialStore(Path dir) {
        this(dir, () -> {});
    }

    /** @param beforeRename runs between writing and renaming; tests make it fail to simulate a crash */
    FileCredentialStore(Path dir, Runnable beforeRename) {
        this.dir = dir;
        this.file = dir.resolve(FILE_NAME);
        this.beforeRename = beforeRename;
    }

    @Override
    public Optional<DeviceIdentity> load() {
        removeLeftoverTempFiles();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the device credential " + file + ": " + e, e);
        }
        try {
            DeviceIdentity identity = Json.decode(bytes, DeviceIdentity.class);
            if (identity.deviceId().isEmpty() || identity.credential().isEmpty()) {
                throw new Json.MalformedPayloadException("empty device id or credential");
            }
            return Optional.of(identity);
        } catch (Json.MalformedPayloadException e) {
            // Not re-provisioning on our own: the platform would refuse the serial as REPLAYED anyway.
            throw new IllegalStateException("the device credential " + file + " is damaged (" + e.getMessage()
                    + "); the device needs to be reset on the platform before it can provision again");
        }
    }

    @Override
    public void save(DeviceIdentity identity) throws IOException {
        writeDurably(file, Json.encode(identity));
    }

    @Override
    public Optional<DeviceCertificate> loadCertificate() {
        Path certificateFile = dir.resolve(CERTIFICATE_FILE_NAME);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(certificateFile);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the device certificate " + certificateFile + ": " + e, e);
        }
        try {
            return Optional.of(DeviceCertificate.fromStored(Json.decode(bytes, DeviceCertificate.Stored.class)));
        } catch (Json.MalformedPayloadException | IllegalArgumentException e) {
            throw new IllegalStateException(
                    "the device certificate " + certificateFile + " is damaged (" + e.getMessage() + ")");
        }
    }

    @Override
    public void saveCertificate(DeviceCertificate certificate) throws IOException {
        // Owner-only from creation, like the credential: the file holds the device's private key.
        writeDurably(dir.resolve(CERTIFICATE_FILE_NAME), Json.encode(certificate.toStored()));
    }

    @Override
    public String provisioningRequestId() throws IOException {
        Path requestFile = dir.resolve(REQUEST_FILE_NAME);
        try {
            String stored =
                    Files.readString(requestFile, StandardCharsets.UTF_8).trim();
            if (!stored.isEmpty()) {
                return stored;
            }
        } catch (NoSuchFileException first) {
            // the first attempt: create the id below
        }
        String requestId = UUID.randomUUID().toString();
        writeDurably(requestFile, requestId.getBytes(StandardCharsets.UTF_8));
        return requestId;
    }

    private void writeDurably(Path target, byte[] bytes) throws IOException {
        Files.createDirectories(dir, ownerOnly("rwx------"));
        Path temp = Files.createTempFile(dir, TEMP_PREFIX, TEMP_SUFFIX, ownerOnly("rw-------"));
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            beforeRename.run();
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            forceDirectory();
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Makes the rename itself durable; without it a power cut may undo the rename. */
    private void forceDirectory() {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some platforms (Windows) cannot open a directory; the rename is as durable as they allow.
            LOG.fine(() -> "cannot force directory " + dir + ": " + e);
        }
    }

    /** A crash between creating and renaming leaves a temporary file; it never holds the live identity. */
    private void removeLeftoverTempFiles() {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(dir, TEMP_PREFIX + "*" + TEMP_SUFFIX)) {
            for (Path leftover : leftovers) {
                Files.deleteIfExists(leftover);
            }
        } catch (IOException e) {
            LOG.fine(() -> "cannot remove leftover temporary files in " + dir + ": " + e);
        }
    }

    private FileAttribute<?>[] ownerOnly(String permissions) {
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[] {
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))
            };
        }
        return new FileAttribute<?>[0];
    }
}
