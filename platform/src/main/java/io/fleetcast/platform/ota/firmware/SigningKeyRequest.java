package io.fleetcast.platform.ota.firmware;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * A public key to trust for the caller's bundles.
 *
 * @param name a label for people, e.g. {@code release-2026}
 * @param publicKey the Ed25519 public key as PEM ({@code -----BEGIN PUBLIC KEY-----}), as
 *     {@code ota-builder keygen} or {@code openssl pkey -pubout} writes it
 */
public record SigningKeyRequest(@NotBlank @Size(max = 100) String name, @NotBlank @Size(max = 2000) String publicKey) {}
