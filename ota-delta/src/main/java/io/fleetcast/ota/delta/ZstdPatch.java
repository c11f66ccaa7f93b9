package io.fleetcast.ota.delta;

import com.github.luben.zstd.EndDirective;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDictContentType;
import com.github.luben.zstd.ZstdDictDecompress;
import com.github.luben.zstd.ZstdInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * zstd "patch-from": the new image compressed with the base image as a raw-content dictionary, with a
 * window that spans both, so long matches reach back into the base. Compatible with {@code zstd
 * --patch-from}.
 *
 * <p>Making a patch maps both images; the base is also copied into the heap once, because zstd-jni
 * loads a raw dictionary into a compression context only from an array (zstd copies it and the array
 * is garbage right after). zstd's tables live in native memory. Applying a patch maps the base and
 * hands it to zstd by reference: the heap holds only I/O buffers. A mapping is limited to 2 GiB, and
 * zstd's window to 2 GiB (window log 31), so base and image must each be below 2 GiB.
 */
public final class ZstdPatch {

    /** zstd's largest window on 64-bit machines. */
    public static final int MAX_WINDOW_LOG = 31;

    public static final long MAX_IMAGE_SIZE = Integer.MAX_VALUE;

    private static final int MIN_WINDOW_LOG = 10;
    private static final int MIN_HASH_LOG = 6;
    private static final int MAX_HASH_LOG = 30;
    private static final int OUT_BUFFER = 1 << 20;

    private ZstdPatch() {}

    /**
     * Writes the patch that turns {@code base} into {@code target} to {@code out}.
     *
     * @param level zstd level, 1..22; deltas are built once and applied millions of times, so high
     *     levels (19 and up) pay off
     */
    public static void encode(Path base, Path target, int level, OutputStream out, ProgressListener progress)
            throws IOException {
        try (FileChannel baseChannel = FileChannel.open(base, StandardOpenOption.READ);
                FileChannel targetChannel = FileChannel.open(target, StandardOpenOption.READ)) {
            long baseSize = baseChannel.size();
            long targetSize = targetChannel.size();
            checkSize(base, baseSize);
            checkSize(target, targetSize);
            MappedByteBuffer baseMap = baseChannel.map(FileChannel.MapMode.READ_ONLY, 0, baseSize);
            MappedByteBuffer targetMap = targetChannel.map(FileChannel.MapMode.READ_ONLY, 0, targetSize);
            try (ZstdCompressCtx context = new ZstdCompressCtx()) {
                int windowLog = windowLog(baseSize + targetSize);
                context.setLevel(level);
                context.setWindowLog(windowLog);
                context.setLong(windowLog);
                // zstd indexes only the last 2^(hashLog + 3) bytes of a loaded dictionary; the level's own
                // hash table is far too small for an image, and the patch then ignored the base entirely
                // (measured: no smaller than compressing the new image alone). Costs 2^(hashLog + 2)
                // bytes of native memory, half the window.
                context.setHashLog(Math.min(MAX_HASH_LOG, Math.max(MIN_HASH_LOG, windowLog - 3)));
                context.setChecksum(true);
                // Loaded into the context, not as a prepared dictionary (CDict): a CDict brings its own
                // parameters, sized for a small dictionary, and the patch came out no smaller than a
                // plain compression. zstd copies the bytes, so the heap array is garbage right after.
                byte[] dictionary = new byte[(int) baseSize];
                baseMap.get(dictionary);
                context.loadDict(dictionary, ZstdDictContentType.RAW_CONTENT);
                dictionary = null;
                context.setPledgedSrcSize(targetSize);
                ByteBuffer outBuffer = ByteBuffer.allocateDirect(OUT_BUFFER);
                byte[] chunk = new byte[OUT_BUFFER];
                boolean done;
                do {
                    done = context.compressDirectByteBufferStream(outBuffer, targetMap, EndDirective.END);
                    outBuffer.flip();
                    while (outBuffer.hasRemaining()) {
                        int n = Math.min(chunk.length, outBuffer.remaining());
                        outBuffer.get(chunk, 0, n);
                        out.write(chunk, 0, n);
                    }
                    outBuffer.clear();
                    progress.progress(targetMap.position(), targetSize);
                } while (!done);
            }
        }
    }

    /**
     * Streams the image that {@code patch} makes of {@code base} to {@code out}. Does not close either
     * stream.
     */
    public static void apply(Path base, InputStream patch, OutputStream out) throws IOException {
        try (FileChannel baseChannel = FileChannel.open(base, StandardOpenOption.READ)) {
            long baseSize = baseChannel.size();
            checkSize(base, baseSize);
            MappedByteBuffer baseMap = baseChannel.map(FileChannel.MapMode.READ_ONLY, 0, baseSize);
            try (ZstdDictDecompress dictionary =
                            new ZstdDictDecompress(baseMap, true, ZstdDictContentType.RAW_CONTENT);
                    ZstdInputStream in = new ZstdInputStream(new NonClosing(patch))) {
                in.setDict(dictionary);
                in.setLongMax(MAX_WINDOW_LOG);
                in.transferTo(out);
            }
        }
    }

    static int windowLog(long span) {
        int log = 64 - Long.numberOfLeadingZeros(Math.max(1, span - 1));
        return Math.max(MIN_WINDOW_LOG, Math.min(MAX_WINDOW_LOG, log));
    }

    private static void checkSize(Path file, long size) throws IOException {
        if (size > MAX_IMAGE_SIZE) {
            throw new IOException(file.getFileName() + " has " + size + " bytes; zstd patches need images below 2 GiB");
        }
    }

    /** The caller owns the patch stream; the zstd stream must not close it. */
    private static final class NonClosing extends java.io.FilterInputStream {
        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public void close() {}
    }
}
