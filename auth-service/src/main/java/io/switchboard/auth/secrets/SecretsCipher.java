package io.switchboard.auth.secrets;

import com.google.crypto.tink.Aead;
import io.switchboard.auth.AuthProperties;
import io.switchboard.platform.crypto.KeyEncryptionKeyset;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

/**
 * Encrypts auth-service's secrets at rest (App Certificates, signing keys) with AES-GCM from a
 * Tink keyset: a database dump alone reveals none of them. Each ciphertext is bound to what it
 * protects (the associated data names the row), so ciphertexts cannot be swapped between rows.
 * Rotating the keyset: add a new key as primary; older keys keep decrypting.
 */
@Component
public class SecretsCipher {

    private final Aead aead;

    SecretsCipher(AuthProperties properties) {
        this.aead = KeyEncryptionKeyset.aead(
                KeyEncryptionKeyset.load(properties.keyEncryption(), "switchboard.auth.key-encryption"));
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
