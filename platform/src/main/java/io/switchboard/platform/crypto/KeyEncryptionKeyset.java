package io.switchboard.platform.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;

/**
 * A key-encryption keyset from configuration: a Tink AEAD keyset (JSON) that encrypts a service's
 * secrets or data keys at rest. Give it inline ({@code keyset}, e.g. from a Kubernetes secret) or
 * as a file; only a development setup should let the service generate the file when it is missing.
 * Rotating it: add a new key as primary (older keys keep decrypting), let the service re-encrypt
 * what it protects, then remove the old key.
 *
 * @param keyset            the keyset JSON
 * @param keysetFile        a file holding the keyset JSON
 * @param generateIfMissing create {@code keysetFile} with a new AES-256-GCM key if it does not exist
 */
public record KeyEncryptionKeyset(String keyset, Path keysetFile, @DefaultValue("false") boolean generateIfMissing) {

    static {
        try {
            AeadConfig.register();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * The keyset {@code config} names.
     *
     * @param property the configuration prefix, named in the error when nothing is configured
     */
    public static KeysetHandle load(KeyEncryptionKeyset config, String property) {
        try {
            return TinkJsonProtoKeysetFormat.parseKeyset(json(config, property), InsecureSecretKeyAccess.get());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(property + " is not a valid Tink AEAD keyset", e);
        }
    }

    /** The AEAD primitive of a keyset: encrypts with its primary key, decrypts with any of its keys. */
    public static Aead aead(KeysetHandle keyset) {
        try {
            return keyset.getPrimitive(RegistryConfiguration.get(), Aead.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The keyset is not an AEAD keyset", e);
        }
    }

    /** A new keyset with one AES-256-GCM key, as JSON (for development setups and tests). */
    public static String newKeysetJson() {
        try {
            return TinkJsonProtoKeysetFormat.serializeKeyset(
                    KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM), InsecureSecretKeyAccess.get());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String json(KeyEncryptionKeyset config, String property) {
        if (config == null || (isBlank(config.keyset()) && config.keysetFile() == null)) {
            throw new IllegalStateException("No key-encryption keyset: set " + property + ".keyset or "
                    + property + ".keyset-file");
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
