package io.switchboard.message;

import io.switchboard.platform.crypto.KeyEncryptionKeyset;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.time.Duration;

/**
 * Limits and windows of message-service.
 *
 * @param maxTextLength         characters of a message's text (or a card's or custom message's fallback)
 * @param maxCustomPayload      size of a custom message's JSON payload
 * @param idempotencyWindow     how long an {@code Idempotency-Key} returns its first message
 * @param recallWindow          how long after sending a sender may recall a message (admins: any time)
 * @param sendWorkers           transactions storing single sends in parallel (each stores a group)
 * @param sendGroupSize         most single sends stored in one transaction
 * @param defaultRetention      how long messages are kept when an app sets no retention; unset: forever
 * @param keyEncryption         the key-encryption keyset that protects the apps' message keys
 *                              ({@code switchboard.messages.key-encryption.keyset} or {@code .keyset-file})
 */
@ConfigurationProperties("switchboard.messages")
public record MessageProperties(@DefaultValue("5000") int maxTextLength,
                                @DefaultValue("16KB") DataSize maxCustomPayload,
                                @DefaultValue("24h") Duration idempotencyWindow,
                                @DefaultValue("2m") Duration recallWindow,
                                @DefaultValue("4") int sendWorkers,
                                @DefaultValue("100") int sendGroupSize,
                                Duration defaultRetention,
                                KeyEncryptionKeyset keyEncryption) {
}
