package io.fleetcast.ota.bundle;

import java.security.KeyPair;

/** Key pairs for tests; generating Ed25519 keys is cheap, so each test gets fresh ones. */
final class TestKeys {

    private TestKeys() {}

    static KeyPair generate() {
        return Keys.generate();
    }

    static BundleSigner signer(KeyPair pair) {
        return new BundleSigner(pair.getPrivate(), pair.getPublic());
    }
}
