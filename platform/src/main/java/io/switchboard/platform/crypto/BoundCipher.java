package io.switchboard.platform.crypto;

import com.google.crypto.tink.Aead;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

/**
 * Encrypts a service's secrets at rest with AES-GCM from its key-encryption keyset, each
 * ciphertext bound to what it protects (the associated data names the row), so ciphertexts cannot
 * be swapped between rows. Rotating the keyset: add a new key as primary; older keys keep
 * decrypting.
 */
public class BoundCipher {

    private final Aead aead;

    /** @param property the configuration prefix of the keyset, named in errors */
    protected BoundCipher(KeyEncryptionKeyset keyset, String property) {
        this.aead = KeyEncryptionKeyset.aead(KeyEncryptionKeyset.load(keyset, property));
    }

    public byte[] encrypt(byte[] plaintext, String associatedData) {
        try {
            return aead.encrypt(plaintext, associatedData.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Encryption failed", e);
        }
    }

    public byte[] decrypt(byte[] ciphertext, String associatedData) {
        try {
            return aead.decrypt(ciphertext, associatedData.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("A stored secret could not be decrypted with the configured keyset", e);
        }
    }
}
