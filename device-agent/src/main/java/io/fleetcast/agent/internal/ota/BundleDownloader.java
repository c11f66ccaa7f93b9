package io.fleetcast.agent.internal.ota;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/**
 * Downloads a bundle into a file and resumes where a broken download stopped: {@code Range} from the
 * file's length with {@code If-Range} carrying the ETag seen before (kept next to the file, so a resume
 * also works after a restart). A changed file on the server answers 200 and the download starts over.
 *
 * <p>Gives up at once on a 4xx answer (the URL is wrong or gone; retrying would only load the server)
 * and when cancelled; retries network errors and 5xx with growing delays, a limited number of times.
 * Never reads more than the expected length, whatever the server sends.
 */
final class BundleDownloader {

    private static final Logger LOG = Logger.getLogger(BundleDownloader.class.getName());
    private static final int CHUNK = 64 * 1024;

    /** Told about each chunk written; may stop the download by throwing. */
    interface Progress {
        /**
         * @param file the file so far
         * @param done bytes in it
         * @return the total length now known (from the bundle header), or -1 to keep the current one
         */
        long written(Path file, long done) throws DownloadException;
    }

    /** A download that cannot succeed; {@code code} goes into the report. */
    static final class DownloadException extends Exception {
        private final String code;
        private final int httpStatus;

        DownloadException(String code, String message) {
            this(code, message, 0);
        }

        /** @param httpStatus the server's refusal (a 4xx), 0 when the server did not refuse */
        DownloadException(String code, String message, int httpStatus) {
            super(message);
            this.code = code;
            this.httpStatus = httpStatus;
        }

        String code() {
            return code;
        }

        int httpStatus() {
            return httpStatus;
        }
    }

    /** Thrown when the download was cancelled. */
    static final class Cancelled extends Exception {
        Cancelled() {
            super("cancelled");
        }
    }

    /** Waits between retries; tests pass one that does not sleep. */
    interface Sleeper {
        void sleep(Duration duration, BooleanSupplier cancelled) throws Cancelled;
    }

    private final int maxAttempts;
    private final Duration initialDelay;
    private final Duration maxDelay;
    private final Duration timeout;
    private final Sleeper sleeper;

    BundleDownloader(int maxAttempts, Duration initialDelay, Duration maxDelay, Duration timeout, Sleeper sleeper) {
        this.maxAttempts = maxAttempts;
        this.initialDelay = initialDelay;
        this.maxDelay = maxDelay;
        this.timeout = timeout;
        this.sleeper = sleeper;
    }

    /**
     * Downloads {@code url} into {@code file} until it holds {@code expectedLength} bytes.
     *
     * @param expectedLength from the assignment, -1 when unknown; {@code progress} can set it later
     */
    void download(URI url, Path file, long expectedLength, BooleanSupplier cancelled, Progress progress)
            throws DownloadException, Cancelled, IOException {
        Path etagFile = file.resolveSibling(file.getFileName() + ".etag");
        long total = expectedLength;
        Duration delay = initialDelay;
        int failures = 0;
        while (true) {
            if (cancelled.getAsBoolean()) {
                throw new Cancelled();
            }
            long have = Files.exists(file) ? Files.size(file) : 0;
            if (total < 0 && have > 0) {
                // A file from an earlier run may already hold the header, and with it the length.
                long known = progress.written(file, have);
                if (known >= 0) {
                    total = known;
                }
            }
            if (total >= 0 && have > total) {
                // More than a bundle can have: a server that lied earlier. Start again.
                Files.delete(file);
                have = 0;
            }
            if (total >= 0 && have == total) {
                long known = progress.written(file, have);
                if (known < 0 || known == have) {
                    return;
                }
                total = known;
                continue;
            }
            try {
                total = attempt(url, file, etagFile, have, total, cancelled, progress);
                if (total >= 0 && Files.size(file) >= total) {
                    return;
                }
                // The body ended early: resume at once, it is not a server failure.
                failures++;
            } catch (IOException e) {
                failures++;
                LOG.info(() -> "download of " + url + " interrupted: " + e);
            }
            if (failures >= maxAttempts) {
                throw new DownloadException("DOWNLOAD_FAILED", "gave up after " + failures + " attempts at " + url);
            }
            sleeper.sleep(delay, cancelled);
            delay = delay.multipliedBy(2).compareTo(maxDelay) > 0 ? maxDelay : delay.multipliedBy(2);
        }
    }

    /** One request; returns the total length now known. */
    private long attempt(
            URI url, Path file, Path etagFile, long have, long total, BooleanSupplier cancelled, Progress progress)
            throws IOException, DownloadException, Cancelled {
        HttpURLConnection http = (HttpURLConnection) url.toURL().openConnection();
        http.setConnectTimeout((int) timeout.toMillis());
        http.setReadTimeout((int) timeout.toMillis());
        http.setInstanceFollowRedirects(true);
        String etag = have > 0 && Files.exists(etagFile) ? Files.readString(etagFile, StandardCharsets.US_ASCII) : null;
        if (have > 0 && etag != null) {
            http.setRequestProperty("Range", "bytes=" + have + "-");
            http.setRequestProperty("If-Range", etag);
        }
        try {
            int status = http.getResponseCode();
            if (status >= 400 && status < 500 && status != 408 && status != 429) {
                throw new DownloadException("DOWNLOAD_FAILED", "HTTP " + status + " for " + url, status);
            }
            if (status != 200 && status != 206) {
                throw new IOException("HTTP " + status);
            }
            boolean append = status == 206;
            if (append && !http.getHeaderField("Content-Range").startsWith("bytes " + have + "-")) {
                throw new IOException(
                        "Content-Range " + http.getHeaderField("Content-Range") + " does not resume at " + have);
            }
            String newTag = http.getHeaderField("ETag");
            if (newTag != null && !newTag.startsWith("W/")) {
                Files.writeString(etagFile, newTag, StandardCharsets.US_ASCII);
            } else {
                Files.deleteIfExists(etagFile); // a weak or missing tag cannot make a range safe
            }
            long done = append ? have : 0;
            try (InputStream in = http.getInputStream();
                    FileChannel out = FileChannel.open(
                            file,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE,
                            append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
                byte[] buffer = new byte[CHUNK];
                while (total < 0 || done < total) {
                    if (cancelled.getAsBoolean()) {
                        throw new Cancelled();
                    }
                    int want = total < 0 ? buffer.length : (int) Math.min(buffer.length, total - done);
                    int n = in.read(buffer, 0, want);
                    if (n < 0) {
                        break;
                    }
                    out.write(ByteBuffer.wrap(buffer, 0, n));
                    done += n;
                    long known = progress.written(file, done);
                    if (known >= 0) {
                        total = known;
                    }
                }
                if (total >= 0 && done > total) {
                    // The header says the bundle ends before what the server sent: drop the excess.
                    out.truncate(total);
                }
            }
            return total < 0 ? done : total;
        } finally {
            http.disconnect();
        }
    }
}
