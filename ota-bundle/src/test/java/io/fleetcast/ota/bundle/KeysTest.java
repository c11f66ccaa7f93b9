package io.fleetcast.ota.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeysTest {

    @TempDir
    Path dir;

    @Test
    void pem_files_round_trip_and_key_id_is_stable() throws Exception {
        KeyPair pair = Keys.generate();
        Path privateFile = Files.writeString(dir.resolve("k.pem"), Keys.toPem(pair.getPrivate()));
        Path publicFile = Files.writeString(dir.resolve("k.pub.pem"), Keys.toPem(pair.getPublic()));

        PrivateKey privateKey = Keys.readPrivateKey(privateFile);
        PublicKey publicKey = Keys.readPublicKey(publicFile);

        assertThat(Keys.keyId(publicKey))
                .isEqualTo(Keys.keyId(pair.getPublic()))
                .matches("[0-9a-f]{16}");
        byte[] message = "m".getBytes(StandardCharsets.UTF_8);
        byte[] signature = new BundleSigner(privateKey, publicKey).sign(message);
        TrustedKeys.of(publicKey).verify(message, signature, Keys.keyId(publicKey));
    }

    @Test
    void refuses_non_ed25519_and_garbage() {
        assertThatThrownBy(() -> Keys.parsePublicKey("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Keys.parsePrivateKey("nothing")).isInstanceOf(IllegalArgumentException.class);
    }

    /** Another implementation (OpenSSL) verifies our signature over the canonical manifest and reads our keys. */
    @Test
    void openssl_verifies_a_manifest_signature_and_reads_the_key_files() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is not installed");
        Path privateFile = dir.resolve("openssl.pem");
        run("openssl", "genpkey", "-algorithm", "ed25519", "-out", privateFile.toString());
        Path publicFile = dir.resolve("openssl.pub.pem");
        run("openssl", "pkey", "-in", privateFile.toString(), "-pubout", "-out", publicFile.toString());

        PrivateKey privateKey = Keys.readPrivateKey(privateFile);
        PublicKey publicKey = Keys.readPublicKey(publicFile);
        BundleSigner signer = new BundleSigner(privateKey, publicKey);
        Manifest manifest =
                ManifestCodecTest.delta().toBuilder().keyId(signer.keyId()).build();
        BundleHeader header = BundleHeader.sign(manifest, signer);
        Path message = Files.write(dir.resolve("manifest.json"), header.manifestBytes());
        Path signature = Files.write(dir.resolve("manifest.sig"), header.signature());

        run(
                "openssl",
                "pkeyutl",
                "-verify",
                "-pubin",
                "-inkey",
                publicFile.toString(),
                "-rawin",
                "-in",
                message.toString(),
                "-sigfile",
                signature.toString());
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue())
                .as(String.join(" ", command) + ": " + output)
                .isZero();
    }
}
