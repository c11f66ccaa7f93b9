package io.fleetcast.platform.ota.artifact;

/**
 * One byte range of a {@code Range: bytes=...} header (RFC 9110 14.1.2), resolved against a length.
 *
 * @param first the first byte sent
 * @param last the last byte sent, inclusive
 */
public record ByteRange(long first, long last) {

    public long length() {
        return last - first + 1;
    }

    /** The header resolved; see {@link #parse}. */
    public sealed interface Parsed {}

    /** No usable single range: send the whole file. */
    public record Whole() implements Parsed {}

    /** A satisfiable range. */
    public record Partial(ByteRange range) implements Parsed {}

    /** A syntactically valid range that starts beyond the end: 416. */
    public record Unsatisfiable() implements Parsed {}

    /**
     * Resolves a Range header. A missing, malformed or multi-range header yields {@link Whole}: a
     * server may always answer with the full representation, and devices only ever ask for one range
     * (to resume).
     */
    public static Parsed parse(String header, long size) {
        if (header == null || !header.startsWith("bytes=")) {
            return new Whole();
        }
        String spec = header.substring("bytes=".length()).trim();
        if (spec.indexOf(',') >= 0) {
            return new Whole();
        }
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return new Whole();
        }
        String from = spec.substring(0, dash).trim();
        String to = spec.substring(dash + 1).trim();
        try {
            if (from.isEmpty()) {
                // A suffix: the last N bytes.
                long suffix = digits(to);
                if (suffix == 0) {
                    return new Unsatisfiable();
                }
                return size == 0
                        ? new Unsatisfiable()
                        : new Partial(new ByteRange(Math.max(0, size - suffix), size - 1));
            }
            long first = digits(from);
            long last = to.isEmpty() ? size - 1 : digits(to);
            if (first >= size) {
                return new Unsatisfiable();
            }
            if (last < first) {
                return new Whole();
            }
            return new Partial(new ByteRange(first, Math.min(last, size - 1)));
        } catch (NumberFormatException e) {
            return new Whole();
        }
    }

    private static long digits(String text) {
        if (text.isEmpty() || text.length() > 18 || !text.chars().allMatch(Character::isDigit)) {
            throw new NumberFormatException(text);
        }
        return Long.parseLong(text);
    }
}
