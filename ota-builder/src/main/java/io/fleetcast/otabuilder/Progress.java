package io.fleetcast.otabuilder;

import io.fleetcast.ota.delta.ProgressListener;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;

/**
 * One progress line on stderr, rewritten in place ({@code \r}), for steps that take long on big
 * images. Quiet unless stderr is a terminal or {@code --progress} asked for it, so logs of scripted
 * runs stay clean. Prints only when the whole percentage changes.
 */
final class Progress implements ProgressListener {

    private final PrintStream err;
    private final boolean enabled;
    private String label = "";
    private int lastPercent = -1;

    Progress(PrintStream err, boolean forced) {
        this.err = err;
        this.enabled = forced || System.console() != null;
    }

    /** Starts a new step. */
    Progress step(String label) {
        finishLine();
        this.label = label;
        this.lastPercent = -1;
        return this;
    }

    @Override
    public void progress(long done, long total) {
        if (!enabled) {
            return;
        }
        int percent = total <= 0 ? 100 : (int) (done * 100 / total);
        if (percent != lastPercent) {
            lastPercent = percent;
            err.print("\r" + label + " " + percent + "% (" + mib(done) + " of " + mib(total) + " MiB)");
            err.flush();
        }
    }

    /** Ends the progress line so the next message starts on a line of its own. */
    void finishLine() {
        if (enabled && lastPercent >= 0) {
            err.println();
            lastPercent = -1;
        }
    }

    /** A stream that reports how much of {@code total} bytes was read through it. */
    InputStream track(InputStream in, long total) {
        return new FilterInputStream(in) {
            private long done;

            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    progress(++done, total);
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                if (n > 0) {
                    done += n;
                    progress(done, total);
                }
                return n;
            }
        };
    }

    private static String mib(long bytes) {
        return String.valueOf(bytes >> 20);
    }
}
