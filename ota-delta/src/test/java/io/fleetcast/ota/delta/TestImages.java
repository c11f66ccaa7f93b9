package io.fleetcast.ota.delta;

import java.util.Arrays;
import java.util.Random;

/** Image-like test content: compressible runs mixed with random blocks, and edits of it. */
final class TestImages {

    private TestImages() {}

    static byte[] base(int size, long seed) {
        Random random = new Random(seed);
        byte[] image = new byte[size];
        for (int at = 0; at < size; at += 4096) {
            int n = Math.min(4096, size - at);
            if (random.nextInt(3) == 0) {
                byte[] block = new byte[n];
                random.nextBytes(block);
                System.arraycopy(block, 0, image, at, n);
            } else {
                for (int i = 0; i < n; i++) {
                    image[at + i] = (byte) ("abcdefgh".charAt(random.nextInt(8)));
                }
            }
        }
        return image;
    }

    /** A few scattered edits, a shifted region and appended bytes. */
    static byte[] edit(byte[] base, long seed) {
        Random random = new Random(seed);
        byte[] image = Arrays.copyOf(base, base.length + 10_000);
        for (int i = 0; i < 50; i++) {
            image[random.nextInt(base.length)] ^= (byte) (1 + random.nextInt(255));
        }
        int cut = base.length / 3;
        System.arraycopy(base, cut, image, cut + 100, base.length - cut - 100);
        byte[] tail = new byte[10_000];
        random.nextBytes(tail);
        System.arraycopy(tail, 0, image, base.length, tail.length);
        return image;
    }
}
