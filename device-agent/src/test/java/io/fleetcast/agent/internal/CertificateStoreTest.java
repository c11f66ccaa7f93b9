package io.fleetcast.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fleetcast.protocol.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.Signature;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The device's key and certificate chain in the state directory, and the CSR it sends for them. */
class CertificateStoreTest {

    @TempDir
    Path root;

    private Path stateDir() {
        return root.resolve("state");
    }

    private static DeviceCertificate testCertificate() throws IOException {
        try (InputStream in = CertificateStoreTest.class.getResourceAsStream("/test-device-certificate.json")) {
            return DeviceCertificate.fromStored(Json.decode(in.readAllBytes(), DeviceCertificate.Stored.class));
        }
    }

    @Test
    void certificate_store_is_empty_before_provisioning() {
        assertThat(new FileCredentialStore(stateDir()).loadCertificate()).isEmpty();
    }

    @Test
    void key_and_chain_survive_a_restart() throws IOException {
        DeviceCertificate certificate = testCertificate();
        new FileCredentialStore(stateDir()).saveCertificate(certificate);

        DeviceCertificate loaded =
                new FileCredentialStore(stateDir()).loadCertificate().orElseThrow();

        assertThat(loaded.key().getEncoded()).isEqualTo(certificate.key().getEncoded());
        assertThat(loaded.chain()).isEqualTo(certificate.chain());
        assertThat(loaded.serial()).isEqualTo(certificate.serial());
    }

    @Test
    void certificate_file_is_readable_by_its_owner_only() throws IOException {
        assumeTrue(root.getFileSystem().supportedFileAttributeViews().contains("posix"));

        new FileCredentialStore(stateDir()).saveCertificate(testCertificate());

        assertThat(PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(stateDir().resolve(FileCredentialStore.CERTIFICATE_FILE_NAME))))
                .isEqualTo("rw-------");
    }

    @Test
    void a_crash_while_saving_keeps_the_previous_certificate() throws IOException {
        DeviceCertificate certificate = testCertificate();
        new FileCredentialStore(stateDir()).saveCertificate(certificate);
        FileCredentialStore crashing = new FileCredentialStore(stateDir(), () -> {
            throw new UncheckedIOException(new IOException("disk full"));
        });

        assertThatThrownBy(() -> crashing.saveCertificate(certificate)).hasMessageContaining("disk full");

        assertThat(new FileCredentialStore(stateDir()).loadCertificate()).isPresent();
        try (var files = Files.list(stateDir())) {
            assertThat(files.map(path -> path.getFileName().toString()))
                    .containsExactly(FileCredentialStore.CERTIFICATE_FILE_NAME);
        }
    }

    @Test
    void a_damaged_certificate_file_is_reported() throws IOException {
        Files.createDirectories(stateDir());
        Files.writeString(stateDir().resolve(FileCredentialStore.CERTIFICATE_FILE_NAME), "{\"key\":\"x\"}");

        assertThatThrownBy(() -> new FileCredentialStore(stateDir()).loadCertificate())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("damaged");
    }

    @Test
    void csr_is_pem_signed_by_the_device_key() throws Exception {
        KeyPair key = Csr.newKey();

        String pem = Csr.pem(key, "SN-1");

        assertThat(pem)
                .startsWith("-----BEGIN CERTIFICATE REQUEST-----\n")
                .endsWith("-----END CERTIFICATE REQUEST-----\n");
        byte[] der = Base64.getMimeDecoder()
                .decode(pem.replaceAll("-----[A-Z ]+-----", "").trim());
        // SEQUENCE { info SEQUENCE, algorithm SEQUENCE, BIT STRING }: verify the signature over info.
        int infoStart = der[1] == (byte) 0x81 ? 3 : der[1] == (byte) 0x82 ? 4 : 2;
        int infoLength =
                (der[infoStart + 1] & 0xFF) == 0x81 ? (der[infoStart + 2] & 0xFF) + 3 : (der[infoStart + 1] & 0xFF) + 2;
        byte[] info = java.util.Arrays.copyOfRange(der, infoStart, infoStart + infoLength);
        int algorithmLength = der[infoStart + infoLength + 1] + 2;
        int bitString = infoStart + infoLength + algorithmLength;
        assertThat(der[bitString]).isEqualTo((byte) 0x03);
        int signatureStart = bitString + 3; // tag, short length, unused-bits byte
        byte[] signature = java.util.Arrays.copyOfRange(der, signatureStart, der.length);
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(key.getPublic());
        verifier.update(info);
        assertThat(verifier.verify(signature)).isTrue();
        assertThat(new String(info, java.nio.charset.StandardCharsets.UTF_8)).contains("SN-1");
    }
}
