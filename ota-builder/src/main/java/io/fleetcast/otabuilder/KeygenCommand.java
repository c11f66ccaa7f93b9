package io.fleetcast.otabuilder;

import io.fleetcast.ota.bundle.Keys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "keygen",
        mixinStandardHelpOptions = true,
        description =
                "Creates an Ed25519 signing key pair: <name>.key.pem (private, owner-only) and <name>.pub.pem, and prints the key id.")
final class KeygenCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, description = "Path and name without suffix, e.g. keys/ota-signing")
    Path out;

    @Override
    public Integer call() throws IOException {
        Path privateFile = out.resolveSibling(out.getFileName() + KeyFiles.PRIVATE_SUFFIX);
        Path publicFile = out.resolveSibling(out.getFileName() + KeyFiles.PUBLIC_SUFFIX);
        KeyPair pair = Keys.generate();
        if (privateFile.getParent() != null) {
            Files.createDirectories(privateFile.getParent());
        }
        try {
            writePrivate(privateFile, Keys.toPem(pair.getPrivate()));
            Files.writeString(publicFile, Keys.toPem(pair.getPublic()), StandardOpenOption.CREATE_NEW);
        } catch (FileAlreadyExistsException e) {
            throw new CommandFailure(ExitCodes.IO, e.getFile() + " exists; keygen never overwrites a key");
        }
        String keyId = Keys.keyId(pair.getPublic());
        spec.commandLine().getOut().println("key id " + keyId);
        spec.commandLine().getOut().println("private key " + privateFile + " (keep it offline)");
        spec.commandLine().getOut().println("public key " + publicFile + " (give it to devices and the platform)");
        return ExitCodes.OK;
    }

    /** Created with owner-only permissions from the start, so the key is never readable by others. */
    private static void writePrivate(Path file, String pem) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file); // not a POSIX file system
        }
        Files.writeString(file, pem, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
    }
}
