package io.switchboard.auth.secrets;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import io.switchboard.auth.AuthProperties;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
        try {
            AeadConfig.register();
            KeysetHandle keyset = TinkJsonProtoKeysetFormat.parseKeyset(keysetJson(properties.keyEncryption()),
                    InsecureSecretKeyAccess.get());
            this.aead = keyset.getPrimitive(RegistryConfiguration.get(), Aead.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The key-encryption keyset is not a valid Tink AEAD keyset", e);
        }
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

    /** A new keyset with one AES-256-GCM key, as JSON (for development setups and tests). */
    public static String newKeysetJson() {
        try {
            AeadConfig.register();
            return TinkJsonProtoKeysetFormat.serializeKeyset(
                    KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM), InsecureSecretKeyAccess.get());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String keysetJson(AuthProperties.KeyEncryption config) {
        if (config == null || (isBlank(config.keyset()) && config.keysetFile() == null)) {
            throw new IllegalStateException("No key-encryption keyset: set switchboard.auth.key-encryption.keyset "
                    + "(SWITCHBOARD_AUTH_KEY_ENCRYPTION_KEYSET) or switchboard.auth.key-encryption.keyset-file");
        }
        if (!isBlank(config.keyset())) {
            return config.keyset();
        }
        Path file = config.keysetFile();
        try {
            if (!Files.exists(file) && config.generateIfMissing()) {
                Files.createDirectories(file.toAbsolutePath().getParent());
                Files.writeString(file, newKeysetJson());
                try {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system
                }
            }
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the key-encryption keyset " + file, e);
        }
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
