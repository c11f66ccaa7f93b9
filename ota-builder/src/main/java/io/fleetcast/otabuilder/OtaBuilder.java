package io.fleetcast.otabuilder;

import io.fleetcast.ota.bundle.BundleException;
import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top command; each sub-command is one class. */
@Command(
        name = "ota-builder",
        mixinStandardHelpOptions = true,
        version = "ota-builder 0.1.0",
        description = "Signing keys, full and delta OTA bundles, verification and publishing.",
        subcommands = {
            KeygenCommand.class,
            BuildCommand.class,
            VerifyCommand.class,
            InspectCommand.class,
            PublishCommand.class
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:the bundle was refused (the error code is printed)",
            "2:wrong or missing options",
            "3:a file could not be read or written",
            "4:the platform refused the upload or could not be reached"
        })
public final class OtaBuilder {

    private OtaBuilder() {}

    /** A command line with this tool's error handling: messages, not stack traces, and exit codes. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new OtaBuilder());
        commandLine.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            if (e instanceof CommandFailure failure) {
                cmd.getErr().println("ota-builder: " + failure.getMessage());
                return failure.exitCode();
            }
            if (e instanceof BundleException refused) {
                cmd.getErr().println("ota-builder: refused: " + refused.code() + ": " + refused.getMessage());
                return ExitCodes.REFUSED;
            }
            if (e instanceof IOException || e instanceof UncheckedIOException) {
                cmd.getErr().println("ota-builder: " + e.getMessage());
                return ExitCodes.IO;
            }
            throw e;
        });
        return commandLine;
    }
}
