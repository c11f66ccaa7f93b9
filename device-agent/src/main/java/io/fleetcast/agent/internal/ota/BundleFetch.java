package io.fleetcast.agent.internal.ota;

import io.fleetcast.ota.bundle.BundleException;
import io.fleetcast.ota.bundle.BundleHeader;
import io.fleetcast.protocol.OtaState;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * Downloads a bundle (resumable, see {@link BundleDownloader}) and judges its signed header as soon as
 * the file holds it, so a bundle that is not for this device is refused before its payload is fetched.
 */
final class BundleFetch {

    /** Told how far the download got; {@code total} is -1 while unknown. */
    interface Progress {
        void at(long done, long total);
    }

    private final BundleDownloader downloader;
    private final BundleCheck check;

    BundleFetch(BundleDownloader downloader, BundleCheck check) {
        this.downloader = downloader;
        this.check = check;
    }

    /**
     * Downloads {@code url} into {@code file}, continuing what the file already holds.
     *
     * @param expectedVersion see {@link BundleCheck#judge}
     * @param expectedSize see {@link BundleCheck#judge}
     * @throws Refusal when the header is refused (the file is deleted) or the download cannot succeed
     */
    void fetch(
            URI url, Path file, String expectedVersion, Long expectedSize, BooleanSupplier cancelled, Progress progress)
            throws Refusal, BundleDownloader.Cancelled, IOException {
        Files.createDirectories(file.getParent());
        long expected = expectedSize == null ? -1 : expectedSize;
        HeaderCheck headerCheck = new HeaderCheck(expectedVersion, expectedSize);
        try {
            downloader.download(url, file, expected, cancelled, (f, done) -> {
                long total = headerCheck.check(f, done);
                progress.at(done, total >= 0 ? total : expected);
                return total;
            });
        } catch (BundleDownloader.DownloadException e) {
            if (headerCheck.refusal != null) {
                Files.deleteIfExists(file);
                throw headerCheck.refusal;
            }
            throw new Refusal(OtaState.FAILED, e.code(), e.getMessage(), e.httpStatus());
        }
    }

    /** Refuses a bundle the disk cannot hold, rather than failing when the disk runs full. */
    private static void requireSpace(Path file, long more) throws Refusal, IOException {
        long usable = Files.getFileStore(file).getUsableSpace();
        if (usable < more) {
            throw new Refusal(
                    OtaState.FAILED,
                    "NOT_ENOUGH_STORAGE",
                    "the bundle needs " + more + " more bytes, the disk has " + usable + " free");
        }
    }

    /** Reads and judges the signed header as soon as the download holds it, before the payload comes. */
    private final class HeaderCheck {
        private final String expectedVersion;
        private final Long expectedSize;
        private long bundleLength = -1;
        Refusal refusal;

        HeaderCheck(String expectedVersion, Long expectedSize) {
            this.expectedVersion = expectedVersion;
            this.expectedSize = expectedSize;
        }

        long check(Path file, long done) throws BundleDownloader.DownloadException {
            if (bundleLength >= 0) {
                return bundleLength;
            }
            if (done < 14) {
                return -1;
            }
            try (InputStream in = Files.newInputStream(file)) {
                DataInputStream data = new DataInputStream(in);
                data.skipNBytes(10);
                long manifestLength = Integer.toUnsignedLong(data.readInt());
                if (manifestLength <= BundleHeader.MAX_MANIFEST_LENGTH
                        && done < 16 + manifestLength + BundleHeader.SIGNATURE_LENGTH) {
                    return -1; // not all of the header yet
                }
            } catch (IOException e) {
                return -1;
            }
            try {
                BundleHeader header = BundleHeader.read(file);
                check.judge(header, expectedVersion, expectedSize);
                requireSpace(file, header.bundleLength() - done);
                bundleLength = header.bundleLength();
                return bundleLength;
            } catch (Refusal e) {
                refusal = e;
            } catch (BundleException e) {
                refusal = BundleCheck.refusalFor(e);
            } catch (IOException e) {
                refusal = new Refusal(OtaState.FAILED, "DOWNLOAD_FAILED", e.getMessage());
            }
            throw new BundleDownloader.DownloadException(refusal.code(), refusal.getMessage());
        }
    }
}
