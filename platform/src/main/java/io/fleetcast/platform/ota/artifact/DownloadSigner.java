package io.fleetcast.platform.ota.artifact;

import io.fleetcast.platform.ota.OtaConfig;
import io.fleetcast.platform.security.SecretHasher;
import io.quarkus.runtime.LaunchMode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Signs and checks download URLs. Devices hold no OIDC token, so the URL in an assignment carries
 * its own authorization: HMAC-SHA-256 over artifact, device and expiry, under a key derived from the
 * server key. A URL works for that device and artifact only, until it expires; anything changed in it
 * breaks the signature.
 */
@ApplicationScoped
public class DownloadSigner {

    public static final String PATH = "/api/v1/ota/downloads/";

    @Inject
    SecretHasher hasher;

    @Inject
    OtaConfig config;

    private volatile SecretKeySpec key;

    /** A signed URL for {@code deviceId} to download {@code sha256} until {@code expiresAt}. */
    public String url(String sha256, UUID deviceId, Instant expiresAt) {
        long expires = expiresAt.getEpochSecond();
        return baseUrl() + PATH + sha256 + "?device=" + deviceId + "&expires=" + expires + "&sig="
                + signature(sha256, deviceId.toString(), expires);
    }

    /** Why a request may not download, or null when it may. */
    public Refusal check(String sha256, String device, String expires, String sig, Instant now) {
        if (device == null || expires == null || sig == null) {
            return Refusal.UNSIGNED;
        }
        long expiresAt;
        try {
            expiresAt = Long.parseLong(expires);
        } catch (NumberFormatException e) {
            return Refusal.BAD_SIGNATURE;
        }
        byte[] expected = signature(sha256, device, expiresAt).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, sig.getBytes(StandardCharsets.US_ASCII))) {
            return Refusal.BAD_SIGNATURE;
        }
        return now.getEpochSecond() > expiresAt ? Refusal.EXPIRED : null;
    }

    public enum Refusal {
        UNSIGNED,
        BAD_SIGNATURE,
        EXPIRED
    }

    private String signature(String sha256, String device, long expires) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key());
            // Unambiguous: none of the three fields can contain a newline.
            mac.update((sha256 + "\n" + device + "\n" + expires).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 unavailable", e);
        }
    }

    private SecretKeySpec key() {
        SecretKeySpec current = key;
        if (current == null) {
            current = new SecretKeySpec(hasher.deriveKey("ota-download-url"), "HmacSHA256");
            key = current;
        }
        return current;
    }

    private String baseUrl() {
        return config.downloadBaseUrl()
                .map(url -> url.endsWith("/") ? url.substring(0, url.length() - 1) : url)
                .orElseGet(() -> {
                    String portKey =
                            LaunchMode.current() == LaunchMode.TEST ? "quarkus.http.test-port" : "quarkus.http.port";
                    int port = ConfigProvider.getConfig()
                            .getOptionalValue(portKey, Integer.class)
                            .orElse(8080);
                    return "http://localhost:" + port;
                });
    }
}
