package io.fleetcast.platform.ota.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where artifact bytes live, addressed by their SHA-256. The default keeps files on a local (or
 * mounted) file system; object storage or a CDN origin can implement the same contract.
 *
 * <p>Methods block on I/O: call them from worker threads, never from an event loop.
 */
public interface ArtifactStore {

    /**
     * Streams {@code in} to a temporary file, hashing while it writes; nothing is visible under any
     * address until {@link #commit}. The caller closes the staged artifact, which deletes the temporary
     * file if it was not committed.
     */
    Staged stage(InputStream in) throws IOException;

    /** Makes a staged artifact readable under its hash; a no-op when the same bytes are stored already. */
    void commit(Staged staged) throws IOException;

    /** The stored file of an artifact, for zero-copy sends; empty when it is not stored. */
    Optional<Path> file(String sha256);

    /** An upload on its way in: where it is, and its hash and length once fully read. */
    interface Staged extends AutoCloseable {

        Path file();

        /** Lowercase hex SHA-256 of everything written. */
        String sha256();

        long size();

        @Override
        void close() throws IOException;
    }
}
