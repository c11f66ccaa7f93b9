package io.fleetcast.platform.ota.artifact;

import io.fleetcast.platform.ota.OtaConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Artifacts as files {@code <dir>/ab/abcdef...} (the first two hex digits fan the directory out).
 * Uploads go to {@code <dir>/tmp} on the same file system, so committing is an atomic rename and a
 * reader never sees half a file.
 */
@ApplicationScoped
public class FileArtifactStore implements ArtifactStore {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final int BUFFER = 64 * 1024;

    private final Path root;

    @Inject
    public FileArtifactStore(OtaConfig config) {
        this(Path.of(config.artifactDirectory()));
    }

    public FileArtifactStore(Path root) {
        this.root = root.toAbsolutePath();
        try {
            Files.createDirectories(this.root.resolve("tmp"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the artifact directory " + this.root, e);
        }
    }

    @Override
    public Staged stage(InputStream in) throws IOException {
        Path temp = Files.createTempFile(root.resolve("tmp"), "upload-", ".part");
        MessageDigest digest = sha256();
        long size = 0;
        boolean done = false;
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(temp), digest)) {
            byte[] buffer = new byte[BUFFER];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                size += n;
            }
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(temp);
            }
        }
        return new FileStaged(temp, HexFormat.of().formatHex(digest.digest()), size);
    }

    @Override
    public void commit(Staged staged) throws IOException {
        Path target = path(staged.sha256());
        if (Files.exists(target)) {
            return;
        }
        Files.createDirectories(target.getParent());
        try {
            Files.move(staged.file(), target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            // Someone stored the same bytes meanwhile: same content, nothing to do.
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(staged.file(), target);
        }
    }

    @Override
    public Optional<Path> file(String sha256) {
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            return Optional.empty();
        }
        Path path = path(sha256);
        return Files.isRegularFile(path) ? Optional.of(path) : Optional.empty();
    }

    private Path path(String sha256) {
        return root.resolve(sha256.substring(0, 2)).resolve(sha256);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private record FileStaged(Path file, String sha256, long size) implements Staged {
        @Override
        public void close() throws IOException {
            Files.deleteIfExists(file);
        }
    }
}
