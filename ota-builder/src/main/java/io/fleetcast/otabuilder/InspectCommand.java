package io.fleetcast.otabuilder;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetcast.ota.bundle.BundleException;
import io.fleetcast.ota.bundle.BundleHeader;
import io.fleetcast.ota.bundle.ManifestCodec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "inspect",
        mixinStandardHelpOptions = true,
        description =
                "Prints the bundle's header and manifest as JSON. Reads the header only; checks nothing else (use verify).")
final class InspectCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", description = "The bundle file")
    Path bundle;

    @Override
    public Integer call() throws IOException, BundleException {
        BundleHeader header = BundleHeader.read(bundle);
        ObjectNode out = JSON.createObjectNode();
        out.put("formatVersion", BundleHeader.FORMAT_VERSION);
        out.put("payloadOffset", header.payloadOffset());
        out.put("bundleLength", header.bundleLength());
        out.put("signature", HexFormat.of().formatHex(header.signature()));
        out.put("created", header.manifest().createdAt().toString());
        out.put("expires", header.manifest().expiresAt().toString());
        // The manifest exactly as signed, so what is shown is what devices check.
        ObjectNode manifest = (ObjectNode) JSON.readTree(ManifestCodec.encode(header.manifest()));
        out.set("manifest", manifest);
        spec.commandLine().getOut().println(JSON.writeValueAsString(out));
        return ExitCodes.OK;
    }
}
