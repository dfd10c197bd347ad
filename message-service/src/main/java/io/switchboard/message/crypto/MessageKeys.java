package io.switchboard.message.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import io.switchboard.message.MessageProperties;
import io.switchboard.platform.crypto.KeyEncryptionKeyset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-app data keys with envelope encryption: each app has a Tink AES-256-GCM keyset that
 * encrypts its message bodies; the keyset is stored encrypted with the key-encryption keyset
 * (KEK) from configuration, so the database alone holds no usable key.
 *
 * <p>Rotating an app's key adds a new primary key: new messages use it, earlier ones keep
 * decrypting with the key that encrypted them (Tink ciphertexts name their key). Another instance
 * that still caches the old keyset reloads it when it meets a ciphertext of a key it lacks, and
 * starts encrypting with the new key when its cached keyset expires (five minutes).
 * Rotating the KEK: add its new key as primary in configuration, restart, then
 * {@link #rewrapAll()} (run at startup) re-encrypts every app keyset under it; the old KEK key can
 * then be removed.
 */
@Component
public class MessageKeys {

    private static final Logger log = LoggerFactory.getLogger(MessageKeys.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Aead kek;
    private final long kekPrimaryId;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    /** How long a keyset is cached: other instances start encrypting with a rotated key within it. */
    private static final Duration CACHE_TTL = Duration.ofMinutes(5);

    private record Cached(Aead aead, long loadedNanos) {
        boolean fresh() {
            return System.nanoTime() - loadedNanos < CACHE_TTL.toNanos();
        }
    }

    @Autowired
    MessageKeys(JdbcClient jdbc, PlatformTransactionManager transactions, MessageProperties properties) {
        this(jdbc, transactions, KeyEncryptionKeyset.load(properties.keyEncryption(), "switchboard.messages.key-encryption"));
    }

    /** With a given key-encryption keyset (tests of its rotation). */
    MessageKeys(JdbcClient jdbc, PlatformTransactionManager transactions, KeysetHandle kek) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactions);
        this.kek = KeyEncryptionKeyset.aead(kek);
        this.kekPrimaryId = Integer.toUnsignedLong(kek.getPrimary().getId());
    }

    /** One key of an app's keyset, without its secret. */
    public record KeyInfo(long keyId, boolean primary) {
    }

    public byte[] encrypt(String appId, byte[] plaintext, String associatedData) {
        try {
            return aead(appId).encrypt(plaintext, associatedData.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Encryption failed for app " + appId, e);
        }
    }

    public byte[] decrypt(String appId, byte[] ciphertext, String associatedData) {
        byte[] ad = associatedData.getBytes(StandardCharsets.UTF_8);
        try {
            return aead(appId).decrypt(ciphertext, ad);
        } catch (GeneralSecurityException stale) {
            // maybe encrypted with a key another instance added since this one cached the keyset
            cache.remove(appId);
            try {
                return aead(appId).decrypt(ciphertext, ad);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("A message body of app " + appId + " could not be decrypted", e);
            }
        }
    }

    /** Adds a new primary data key to the app's keyset; returns the keys after the rotation. */
    @Transactional
    public List<KeyInfo> rotate(String appId) {
        aead(appId); // the app has a keyset from here on
        KeysetHandle current = parse(appId, jdbc.sql("SELECT encrypted_keyset FROM message_keys WHERE app_id = ? FOR UPDATE")
                .param(appId).query(byte[].class).single());
        try {
            KeysetHandle rotated = KeysetHandle.newBuilder(current)
                    .addEntry(KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM)
                            .withRandomId().makePrimary())
                    .build();
            jdbc.sql("UPDATE message_keys SET encrypted_keyset = ?, kek_key_id = ?, rotated_at = ? WHERE app_id = ?")
                    .params(wrap(appId, rotated), kekPrimaryId, OffsetDateTime.now(ZoneOffset.UTC), appId)
                    .update();
            afterCommit(() -> cache.remove(appId)); // the next use loads the rotated keyset
            log.info("Rotated the message key of app {}: {} keys, new primary {}", appId, rotated.size(),
                    Integer.toUnsignedLong(rotated.getPrimary().getId()));
            return describe(rotated);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Rotation failed for app " + appId, e);
        }
    }

    /** The app's keys, without secrets; empty if it has sent nothing yet. */
    public List<KeyInfo> keys(String appId) {
        return stored(appId).map(bytes -> describe(parse(appId, bytes))).orElse(List.of());
    }

    /**
     * Re-encrypts every app keyset that an older KEK key wrapped with the KEK's current primary
     * key; runs when the service starts. Each row is locked while it is rewrapped, so a concurrent
     * rotation is not lost.
     *
     * @return how many keysets were re-encrypted
     */
    @EventListener(ApplicationReadyEvent.class)
    public int rewrapAll() {
        List<String> apps = jdbc.sql("SELECT app_id FROM message_keys WHERE kek_key_id <> ?")
                .param(kekPrimaryId).query(String.class).list();
        for (String appId : apps) {
            transactions.executeWithoutResult(tx -> {
                byte[] stored = jdbc.sql("SELECT encrypted_keyset FROM message_keys WHERE app_id = ? FOR UPDATE")
                        .param(appId).query(byte[].class).single();
                jdbc.sql("UPDATE message_keys SET encrypted_keyset = ?, kek_key_id = ? WHERE app_id = ?")
                        .params(wrap(appId, parse(appId, stored)), kekPrimaryId, appId)
                        .update();
            });
        }
        if (!apps.isEmpty()) {
            log.info("Re-encrypted {} app keysets with key-encryption key {}", apps.size(), kekPrimaryId);
        }
        return apps.size();
    }

    private Aead aead(String appId) {
        Cached cached = cache.get(appId);
        if (cached != null && cached.fresh()) {
            return cached.aead();
        }
        Optional<byte[]> stored = stored(appId);
        Aead aead = KeyEncryptionKeyset.aead(parse(appId, stored.orElseGet(() -> create(appId))));
        if (stored.isEmpty() && TransactionSynchronizationManager.isSynchronizationActive()) {
            // created in the caller's transaction: remembered only once that commits, so a
            // rolled-back send cannot leave a cached key that was never stored
            afterCommit(() -> cache.put(appId, new Cached(aead, System.nanoTime())));
        } else {
            cache.put(appId, new Cached(aead, System.nanoTime()));
        }
        return aead;
    }

    /**
     * Creates the app's first keyset in the caller's transaction. Two transactions creating one
     * app's keyset serialize on its primary key: the second waits for the first to commit and then
     * uses its keyset.
     */
    private byte[] create(String appId) {
        KeysetHandle keyset;
        try {
            keyset = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        jdbc.sql("INSERT INTO message_keys (app_id, encrypted_keyset, kek_key_id, created_at) VALUES (?, ?, ?, ?) "
                        + "ON CONFLICT DO NOTHING")
                .params(appId, wrap(appId, keyset), kekPrimaryId, OffsetDateTime.now(ZoneOffset.UTC))
                .update();
        return stored(appId).orElseThrow();
    }

    private static void afterCommit(Runnable action) {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                action.run();
            }
        });
    }

    private Optional<byte[]> stored(String appId) {
        return jdbc.sql("SELECT encrypted_keyset FROM message_keys WHERE app_id = ?")
                .param(appId).query(byte[].class).optional();
    }

    /** The app id is the associated data, so a keyset row cannot be moved to another app. */
    private byte[] wrap(String appId, KeysetHandle keyset) {
        try {
            return TinkProtoKeysetFormat.serializeEncryptedKeyset(keyset, kek, appId.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private KeysetHandle parse(String appId, byte[] encrypted) {
        try {
            return TinkProtoKeysetFormat.parseEncryptedKeyset(encrypted, kek, appId.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The message keyset of app " + appId
                    + " cannot be decrypted with the configured key-encryption keyset", e);
        }
    }

    private static List<KeyInfo> describe(KeysetHandle keyset) {
        List<KeyInfo> keys = new ArrayList<>();
        for (int i = 0; i < keyset.size(); i++) {
            KeysetHandle.Entry entry = keyset.getAt(i);
            keys.add(new KeyInfo(Integer.toUnsignedLong(entry.getId()), entry.isPrimary()));
        }
        return keys;
    }
}
