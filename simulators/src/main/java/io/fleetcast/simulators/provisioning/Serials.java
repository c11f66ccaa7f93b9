package io.fleetcast.simulators.provisioning;

import io.fleetcast.protocol.ProvisionRequest;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * Serial numbers of one run: {@code <prefix>-<index>}. The platform refuses to provision a serial
 * twice (REPLAYED), so every run needs a prefix of its own.
 */
public final class Serials {

    private static final String RUN_ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final int RUN_ID_LENGTH = 8;

    private final String prefix;

    /**
     * @param count how many serials the run uses; the longest one must still be a valid serial
     * @throws IllegalArgumentException when the prefix makes serials the protocol does not accept
     */
    public Serials(String prefix, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be positive: " + count);
        }
        this.prefix = prefix;
        // Only the length grows with the index, so the last serial is the one that can be too long.
        String longest = serial(count - 1);
        if (!ProvisionRequest.SERIAL.matcher(longest).matches()) {
            throw new IllegalArgumentException("serial prefix '" + prefix + "' gives invalid serials such as '"
                    + longest + "' (allowed: " + ProvisionRequest.SERIAL.pattern() + ")");
        }
    }

    /** A prefix no earlier run is likely to have used: 36^8 (about 2.8e12) choices. */
    public static String randomPrefix(RandomGenerator random) {
        StringBuilder prefix = new StringBuilder("sim-");
        for (int i = 0; i < RUN_ID_LENGTH; i++) {
            prefix.append(RUN_ID_ALPHABET.charAt(random.nextInt(RUN_ID_ALPHABET.length())));
        }
        return prefix.toString();
    }

    public String prefix() {
        return prefix;
    }

    /** Zero-padded so that serials sort in index order in the platform's device lists. */
    public String serial(int index) {
        return prefix + String.format(Locale.ROOT, "-%06d", index);
    }
}
