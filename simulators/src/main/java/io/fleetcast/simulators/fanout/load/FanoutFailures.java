package io.fleetcast.simulators.fanout.load;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Groups failures by a short reason so that 19,000 of them summarise in one line. */
public final class FanoutFailures {

    private FanoutFailures() {}

    public static String describe(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof FanoutFailure) {
            return cause.getMessage();
        }
        String message = cause.getMessage();
        // Netty's messages carry addresses and ports; the exception type groups them better.
        if (message != null && message.contains("Connection refused")) {
            return "connection refused";
        }
        return cause.getClass().getSimpleName();
    }
}
