package io.fleetcast.ota.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestValidatorTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private final ManifestValidator validator = new ManifestValidator(Clock.fixed(NOW, ZoneOffset.UTC));

    /** A delta 1.9.0 → 2.0.0 for tv-55 and tv-65, counter 7, valid for a year from 2026-11-21. */
    private final Manifest delta = ManifestCodecTest.delta();

    private final DeviceFacts matching = new DeviceFacts("tv-55", "1.9.0", 7);

    @Test
    void accepts_a_bundle_for_this_device() {
        assertThatCode(() -> validator.validate(delta, matching)).doesNotThrowAnyException();
        assertThatCode(() -> validator.validate(delta, new DeviceFacts("tv-65", "1.9.0", 3)))
                .doesNotThrowAnyException();
    }

    @Test
    void rejects_wrong_model() {
        assertCode(delta, new DeviceFacts("tv-43", "1.9.0", 7), BundleErrorCode.WRONG_MODEL);
    }

    @Test
    void rejects_expired_bundle_at_and_after_expiry() {
        ManifestValidator atExpiry = new ManifestValidator(Clock.fixed(delta.expiresAt(), ZoneOffset.UTC));
        assertThatThrownBy(() -> atExpiry.validate(delta, matching))
                .isInstanceOfSatisfying(
                        BundleException.class, e -> assertThat(e.code()).isEqualTo(BundleErrorCode.EXPIRED));
    }

    @Test
    void rejects_lower_anti_rollback_counter_and_accepts_equal() {
        assertCode(delta, new DeviceFacts("tv-55", "1.9.0", 8), BundleErrorCode.DOWNGRADE);
    }

    @Test
    void rejects_delta_for_another_base() {
        assertCode(delta, new DeviceFacts("tv-55", "1.8.0", 7), BundleErrorCode.BASE_MISMATCH);
    }

    @Test
    void full_image_with_allowed_bases_rejects_other_installed_versions() throws BundleException {
        Manifest full = delta.toBuilder()
                .fullImage(new ContentDigest("c".repeat(64), 10))
                .baseVersions(List.of("1.8.0", "1.9.0"))
                .build();
        validator.validate(full, new DeviceFacts("tv-55", "1.8.0", 0));
        assertCode(full, new DeviceFacts("tv-55", "1.7.0", 0), BundleErrorCode.BASE_MISMATCH);
        validator.validate(full.toBuilder().baseVersions(List.of()).build(), new DeviceFacts("tv-55", "0.1", 0));
    }

    @Test
    void reports_the_model_first_when_several_checks_fail() {
        assertCode(delta, new DeviceFacts("tv-43", "1.0.0", 99), BundleErrorCode.WRONG_MODEL);
        assertCode(delta, new DeviceFacts("tv-55", "1.0.0", 99), BundleErrorCode.DOWNGRADE);
    }

    private void assertCode(Manifest manifest, DeviceFacts device, BundleErrorCode code) {
        assertThatThrownBy(() -> validator.validate(manifest, device))
                .isInstanceOfSatisfying(
                        BundleException.class, e -> assertThat(e.code()).isEqualTo(code));
    }
}
