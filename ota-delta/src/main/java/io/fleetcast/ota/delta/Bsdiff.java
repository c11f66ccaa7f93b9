package io.fleetcast.ota.delta;

import io.sigpipe.jbsdiff.DefaultDiffSettings;
import io.sigpipe.jbsdiff.Diff;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.commons.compress.compressors.CompressorStreamFactory;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.utils.BoundedInputStream;

/**
 * bsdiff 4 ({@code BSDIFF40}) patches. Making one uses jbsdiff, which works on byte arrays: it needs
 * about {@link #heapToDiff} bytes of heap, so the builder only tries it below a size limit. Applying
 * one is done here, streaming: the base is read with positional reads, the patch's three blocks are
 * read side by side from the patch file, and memory stays at a few buffers whatever the image size.
 */
public final class Bsdiff {

    private static final byte[] MAGIC = "BSDIFF40".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER = 32;
    private static final int CHUNK = 64 * 1024;
    private static final long DIFF_STACK = 1L << 30;

    private Bsdiff() {}

    /**
     * Heap jbsdiff needs for a diff: both images, its suffix array and rank array (two ints per base
     * byte), and its diff and extra blocks (up to the target's size each). An estimate from jbsdiff's
     * allocations, not a measurement; it errs on the high side.
     */
    public static long heapToDiff(long baseSize, long targetSize) {
        return 9 * baseSize + 3 * targetSize;
    }

    /**
     * Writes the bsdiff patch from {@code base} to {@code target}; both are read into the heap.
     *
     * <p>Runs on a thread of its own with a large stack: jbsdiff's suffix sort recurses once per
     * level of a run of equal bytes, and file system images have long runs of zeros (a 64 MiB ext4
     * image overflowed the default 1 MiB stack).
     */
    public static void diff(Path base, Path target, OutputStream out) throws IOException {
        if (Files.size(base) >= Integer.MAX_VALUE || Files.size(target) >= Integer.MAX_VALUE) {
            throw new IOException("bsdiff works on images below 2 GiB");
        }
        byte[] old = Files.readAllBytes(base);
        byte[] young = Files.readAllBytes(target);
        Throwable[] failure = new Throwable[1];
        Thread worker = new Thread(
                null,
                () -> {
                    try {
                        Diff.diff(old, young, out, new DefaultDiffSettings(CompressorStreamFactory.BZIP2));
                    } catch (Throwable e) {
                        failure[0] = e;
                    }
                },
                "bsdiff",
                DIFF_STACK);
        worker.start();
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while making a bsdiff patch");
        }
        Throwable e = failure[0];
        if (e instanceof IOException io) {
            throw io;
        } else if (e instanceof StackOverflowError) {
            throw new IOException("bsdiff ran out of stack on this image (long runs of equal bytes)", e);
        } else if (e instanceof Error error) {
            throw error;
        } else if (e != null) {
            throw new IOException("bsdiff failed: " + e.getMessage(), e);
        }
    }

    /**
     * Streams the image that the patch at {@code patch[offset, offset + length)} makes of {@code base}
     * to {@code out}.
     *
     * @throws IOException also when the patch is corrupt (lengths that do not add up, bad blocks)
     */
    public static void apply(Path base, Path patch, long offset, long length, OutputStream out) throws IOException {
        try (FileChannel old = FileChannel.open(base, StandardOpenOption.READ);
                FileChannel patchFile = FileChannel.open(patch, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            while (header.hasRemaining()) {
                if (patchFile.read(header, offset + header.position()) < 0) {
                    throw corrupt("shorter than its header");
                }
            }
            byte[] head = header.array();
            for (int i = 0; i < MAGIC.length; i++) {
                if (head[i] != MAGIC[i]) {
                    throw corrupt("not a BSDIFF40 patch");
                }
            }
            long controlLength = offtin(head, 8);
            long diffLength = offtin(head, 16);
            long newSize = offtin(head, 24);
            if (controlLength < 0 || diffLength < 0 || newSize < 0 || HEADER + controlLength + diffLength > length) {
                throw corrupt("block lengths do not fit the patch");
            }
            long extraLength = length - HEADER - controlLength - diffLength;
            try (DataInputStream control = block(patch, offset + HEADER, controlLength);
                    DataInputStream diff = block(patch, offset + HEADER + controlLength, diffLength);
                    DataInputStream extra = block(patch, offset + HEADER + controlLength + diffLength, extraLength)) {
                run(old, control, diff, extra, newSize, out);
            }
        }
    }

    private static void run(
            FileChannel old,
            DataInputStream control,
            DataInputStream diff,
            DataInputStream extra,
            long newSize,
            OutputStream out)
            throws IOException {
        long oldSize = old.size();
        byte[] triple = new byte[24];
        byte[] add = new byte[CHUNK];
        ByteBuffer oldChunk = ByteBuffer.allocate(CHUNK);
        long oldPos = 0;
        long newPos = 0;
        try {
            while (newPos < newSize) {
                control.readFully(triple);
                long copy = offtin(triple, 0);
                long insert = offtin(triple, 8);
                long seek = offtin(triple, 16);
                if (copy < 0 || insert < 0 || newPos + copy + insert > newSize) {
                    throw corrupt("a control entry reaches past the new image");
                }
                for (long done = 0; done < copy; ) {
                    int n = (int) Math.min(CHUNK, copy - done);
                    diff.readFully(add, 0, n);
                    readOld(old, oldSize, oldPos + done, oldChunk, n);
                    byte[] base = oldChunk.array();
                    for (int i = 0; i < n; i++) {
                        add[i] += base[i];
                    }
                    out.write(add, 0, n);
                    done += n;
                }
                newPos += copy;
                oldPos += copy;
                for (long done = 0; done < insert; ) {
                    int n = (int) Math.min(CHUNK, insert - done);
                    extra.readFully(add, 0, n);
                    out.write(add, 0, n);
                    done += n;
                }
                newPos += insert;
                oldPos += seek;
            }
        } catch (EOFException e) {
            throw corrupt("a block ends early");
        }
    }

    /** Reads base bytes at {@code position}; bytes outside the base count as zero, as in bsdiff. */
    private static void readOld(FileChannel old, long oldSize, long position, ByteBuffer chunk, int n)
            throws IOException {
        byte[] bytes = chunk.array();
        java.util.Arrays.fill(bytes, 0, n, (byte) 0);
        long from = Math.max(position, 0);
        long to = Math.min(position + n, oldSize);
        if (from >= to) {
            return;
        }
        chunk.clear().position((int) (from - position)).limit((int) (to - position));
        while (chunk.hasRemaining()) {
            if (old.read(chunk, position + chunk.position()) < 0) {
                throw new EOFException("the base image shrank while patching");
            }
        }
    }

    private static DataInputStream block(Path patch, long from, long length) throws IOException {
        FileChannel channel = FileChannel.open(patch, StandardOpenOption.READ).position(from);
        InputStream raw = BoundedInputStream.builder()
                .setInputStream(Channels.newInputStream(channel))
                .setMaxCount(length)
                .get();
        return new DataInputStream(new BZip2CompressorInputStream(new BufferedInputStream(raw, CHUNK)));
    }

    /** bsdiff's integer encoding: 8 bytes little-endian magnitude, sign in the top bit. */
    static long offtin(byte[] buffer, int offset) {
        long magnitude = 0;
        for (int i = 7; i >= 0; i--) {
            magnitude = (magnitude << 8) | (buffer[offset + i] & 0xff);
        }
        magnitude &= Long.MAX_VALUE;
        return (buffer[offset + 7] & 0x80) != 0 ? -magnitude : magnitude;
    }

    private static IOException corrupt(String why) {
        return new IOException("corrupt bsdiff patch: " + why);
    }
}
