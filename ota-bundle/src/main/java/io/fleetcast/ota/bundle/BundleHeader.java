package io.fleetcast.ota.bundle;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The part of a bundle in front of the payload: magic, format version, the manifest's canonical bytes
 * and their signature. A device reads and verifies it from the first bytes of a download, before it
 * fetches the payload.
 *
 * <pre>
 * offset  size  field
 * 0       8     magic "FCOTA" 0x0D 0x0A 0x1A
 * 8       2     format version, big-endian (1)
 * 10      4     manifest length M, big-endian, 1..65536
 * 14      M     manifest, canonical JSON (UTF-8)
 * 14+M    2     signature length S, big-endian (64)
 * 16+M    S     Ed25519 signature of the manifest bytes
 * 16+M+S  P     payload, P = manifest.payloadLength; nothing after it
 * </pre>
 */
public final class BundleHeader {

    /**
     * "FCOTA", then CR LF and SUB as PNG does: a transfer that rewrites line endings or stops at a DOS
     * end-of-file mark breaks the magic at once instead of the payload hash much later.
     */
    static final byte[] MAGIC = {'F', 'C', 'O', 'T', 'A', 0x0D, 0x0A, 0x1A};

    public static final int FORMAT_VERSION = 1;
    public static final int MAX_MANIFEST_LENGTH = 64 * 1024;
    public static final int SIGNATURE_LENGTH = 64;

    private final byte[] manifestBytes;
    private final Manifest manifest;
    private final byte[] signature;

    private BundleHeader(byte[] manifestBytes, Manifest manifest, byte[] signature) {
        this.manifestBytes = manifestBytes;
        this.manifest = manifest;
        this.signature = signature;
    }

    /** Signs {@code manifest} with {@code signer}; the manifest's key id must be the signer's. */
    public static BundleHeader sign(Manifest manifest, BundleSigner signer) {
        if (!manifest.keyId().equals(signer.keyId())) {
            throw new IllegalArgumentException(
                    "the manifest names key " + manifest.keyId() + " but the signer's key is " + signer.keyId());
        }
        byte[] bytes = ManifestCodec.encode(manifest);
        return new BundleHeader(bytes, manifest, signer.sign(bytes));
    }

    /**
     * Reads the header and leaves {@code in} at the first payload byte. The signature is not checked
     * here: call {@link TrustedKeys#verify(BundleHeader)}.
     *
     * @throws BundleException {@link BundleErrorCode#MALFORMED} when the bytes are not a bundle header
     * @throws IOException when reading fails
     */
    public static BundleHeader read(InputStream in) throws IOException, BundleException {
        DataInputStream data = new DataInputStream(in);
        try {
            byte[] magic = new byte[MAGIC.length];
            data.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw malformed("not an OTA bundle (wrong magic)");
            }
            int version = data.readUnsignedShort();
            if (version != FORMAT_VERSION) {
                throw malformed("bundle format version " + version + " is not supported (only " + FORMAT_VERSION + ")");
            }
            int manifestLength = data.readInt();
            if (manifestLength <= 0 || manifestLength > MAX_MANIFEST_LENGTH) {
                throw malformed("manifest length " + Integer.toUnsignedString(manifestLength) + " is outside 1.."
                        + MAX_MANIFEST_LENGTH);
            }
            byte[] manifestBytes = new byte[manifestLength];
            data.readFully(manifestBytes);
            int signatureLength = data.readUnsignedShort();
            if (signatureLength != SIGNATURE_LENGTH) {
                throw malformed("signature length " + signatureLength + " is not " + SIGNATURE_LENGTH);
            }
            byte[] signature = new byte[SIGNATURE_LENGTH];
            data.readFully(signature);
            return new BundleHeader(manifestBytes, ManifestCodec.decode(manifestBytes), signature);
        } catch (EOFException e) {
            throw malformed("the bundle ends inside its header");
        }
    }

    /** Reads the header of a bundle file. */
    public static BundleHeader read(Path bundle) throws IOException, BundleException {
        try (InputStream in = Files.newInputStream(bundle)) {
            return read(in);
        }
    }

    /** The header's bytes, as written in front of the payload. */
    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(payloadOffsetInt());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeShort(FORMAT_VERSION);
            out.writeInt(manifestBytes.length);
            out.write(manifestBytes);
            out.writeShort(signature.length);
            out.write(signature);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    public Manifest manifest() {
        return manifest;
    }

    /** The canonical manifest bytes, exactly as signed. */
    public byte[] manifestBytes() {
        return manifestBytes.clone();
    }

    public byte[] signature() {
        return signature.clone();
    }

    /** Where the payload starts in the bundle file. */
    public long payloadOffset() {
        return payloadOffsetInt();
    }

    /** The length the whole bundle file must have. */
    public long bundleLength() {
        return payloadOffset() + manifest.payloadLength();
    }

    private int payloadOffsetInt() {
        return MAGIC.length + 2 + 4 + manifestBytes.length + 2 + signature.length;
    }

    private static BundleException malformed(String message) {
        return new BundleException(BundleErrorCode.MALFORMED, message);
    }
}
