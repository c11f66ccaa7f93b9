package io.fleetcast.ota.bundle;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;

/**
 * Hashes and counts content while it streams past, then compares it with the signed hash and length.
 * Not thread-safe: one check per stream.
 *
 * <p>Feed it through {@link #wrap(InputStream)} (which never reads past the expected length, so a
 * bundle that is longer than it claims cannot make a device read on forever) or through
 * {@link #update}, then call {@link #finish()}.
 */
public final class PayloadCheck {

    private final String what;
    private final BundleErrorCode whenShort;
    private final String expectedSha256;
    private final long expectedLength;
    private final MessageDigest digest = Hex.newSha256();
    private long count;

    private PayloadCheck(String what, BundleErrorCode whenShort, String expectedSha256, long expectedLength) {
        this.what = what;
        this.whenShort = whenShort;
        this.expectedSha256 = expectedSha256;
        this.expectedLength = expectedLength;
    }

    /** Checks the bundle's payload. */
    public static PayloadCheck payloadOf(Manifest manifest) {
        return new PayloadCheck(
                "payload", BundleErrorCode.MALFORMED, manifest.payloadSha256(), manifest.payloadLength());
    }

    /** Checks the image a delta produces (for a full bundle, the same as the payload). */
    public static PayloadCheck imageOf(Manifest manifest) {
        return new PayloadCheck("image", BundleErrorCode.HASH_MISMATCH, manifest.imageSha256(), manifest.imageLength());
    }

    public void update(byte[] bytes, int offset, int length) {
        digest.update(bytes, offset, length);
        count += length;
    }

    public long count() {
        return count;
    }

    public long expectedLength() {
        return expectedLength;
    }

    /**
     * Compares what went past with the manifest.
     *
     * @throws BundleException {@link BundleErrorCode#MALFORMED} when a payload is shorter than signed
     *     (a truncated bundle), {@link BundleErrorCode#HASH_MISMATCH} when the hash differs or an image
     *     has another length
     */
    public void finish() throws BundleException {
        if (count != expectedLength) {
            throw new BundleException(
                    count < expectedLength ? whenShort : BundleErrorCode.HASH_MISMATCH,
                    "the " + what + " has " + count + " bytes, the manifest says " + expectedLength);
        }
        String actual = Hex.of(digest.digest());
        if (!actual.equals(expectedSha256)) {
            throw new BundleException(
                    BundleErrorCode.HASH_MISMATCH,
                    "the " + what + "'s SHA-256 is " + actual + ", the manifest says " + expectedSha256);
        }
    }

    /** A stream of at most the expected length of {@code in} that feeds this check. */
    public InputStream wrap(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                long left = expectedLength - count;
                if (left <= 0) {
                    return -1;
                }
                int n = super.read(b, off, (int) Math.min(len, left));
                if (n > 0) {
                    update(b, off, n);
                }
                return n;
            }

            @Override
            public long skip(long n) {
                return 0; // every byte must be hashed
            }

            @Override
            public boolean markSupported() {
                return false;
            }
        };
    }

    /** An output stream that feeds this check and writes through to {@code out}. */
    public OutputStream tee(OutputStream out) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                update(b, off, len);
                out.write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                out.flush();
            }

            @Override
            public void close() throws IOException {
                out.close();
            }
        };
    }
}
