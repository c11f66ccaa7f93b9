package io.fleetcast.otabuilder;

import io.fleetcast.ota.bundle.BundleException;
import io.fleetcast.ota.bundle.BundleHeader;
import io.fleetcast.ota.bundle.BundleVerifier;
import io.fleetcast.ota.bundle.TrustedKeys;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "publish",
        mixinStandardHelpOptions = true,
        description = {
            "Uploads a bundle to the platform: POST <platform>/api/v1/firmware/bundles, application/octet-stream.",
            "Authenticates with --token, or gets one from Keycloak by client credentials (--token-url, --client-id,"
                    + " --client-secret). Secrets may come from FLEETCAST_OTA_TOKEN / FLEETCAST_OTA_CLIENT_SECRET"
                    + " instead, so they stay out of the process list."
        })
final class PublishCommand implements Callable<Integer> {

    static final String TOKEN_ENV = "FLEETCAST_OTA_TOKEN";
    static final String SECRET_ENV = "FLEETCAST_OTA_CLIENT_SECRET";

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", description = "The bundle file")
    Path bundle;

    @Option(
            names = "--platform",
            required = true,
            description = "Base URL of the platform, e.g. https://fleet.example.com")
    URI platform;

    @Option(names = "--token", description = "Bearer token (or FLEETCAST_OTA_TOKEN)")
    String token;

    @Option(
            names = "--token-url",
            description = "Keycloak token endpoint, e.g. https://sso/realms/fleetcast/protocol/openid-connect/token")
    URI tokenUrl;

    @Option(names = "--client-id", defaultValue = "fleetcast-ota-builder", description = "Default: ${DEFAULT-VALUE}")
    String clientId;

    @Option(names = "--client-secret", description = "Client secret (or FLEETCAST_OTA_CLIENT_SECRET)")
    String clientSecret;

    @Option(names = "--public-key", description = "Also check the signature before uploading")
    List<Path> publicKeys = new ArrayList<>();

    @Option(names = "--timeout", defaultValue = "30m", description = "Upload timeout. Default: ${DEFAULT-VALUE}")
    String timeout;

    /** The environment, replaceable in tests. */
    java.util.function.Function<String, String> env = System::getenv;

    @Override
    public Integer call() throws IOException, BundleException {
        BundleHeader header = checkLocally();
        String bearer = bearerToken();
        PlatformClient client = new PlatformClient(BuildCommand.parseDuration(timeout));
        PlatformClient.Answer answer = client.upload(platform, bearer, bundle);
        if (!answer.ok()) {
            throw new CommandFailure(
                    ExitCodes.PUBLISH_FAILED,
                    "the platform refused the bundle: HTTP " + answer.status() + ": "
                            + PlatformClient.abbreviate(answer.body()));
        }
        spec.commandLine()
                .getOut()
                .println("published " + header.manifest().version() + " ("
                        + header.manifest().payloadType() + ", " + Files.size(bundle) + " bytes): HTTP "
                        + answer.status());
        if (!answer.body().isBlank()) {
            spec.commandLine().getOut().println(answer.body());
        }
        return ExitCodes.OK;
    }

    /** Uploading a broken file would waste the upload and the platform's time; check it here first. */
    private BundleHeader checkLocally() throws IOException, BundleException {
        if (publicKeys.isEmpty()) {
            try (InputStream in = Files.newInputStream(bundle)) {
                BundleHeader header = BundleHeader.read(in);
                if (Files.size(bundle) != header.bundleLength()) {
                    throw new CommandFailure(
                            ExitCodes.REFUSED,
                            bundle + " has " + Files.size(bundle) + " bytes, its header says " + header.bundleLength());
                }
                return header;
            }
        }
        TrustedKeys keys = KeyFiles.trusted(publicKeys);
        return new BundleVerifier(keys).verify(bundle);
    }

    private String bearerToken() throws IOException {
        String given = token != null ? token : env.apply(TOKEN_ENV);
        if (given != null && !given.isBlank()) {
            return given;
        }
        if (tokenUrl == null) {
            throw new CommandFailure(ExitCodes.USAGE, "give --token (or " + TOKEN_ENV + ") or --token-url");
        }
        String secret = clientSecret != null ? clientSecret : env.apply(SECRET_ENV);
        if (secret == null || secret.isBlank()) {
            throw new CommandFailure(ExitCodes.USAGE, "--token-url needs --client-secret (or " + SECRET_ENV + ")");
        }
        return new PlatformClient(Duration.ofMinutes(1)).clientCredentialsToken(tokenUrl, clientId, secret);
    }
}
