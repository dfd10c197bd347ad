-- Each app's data-encryption keys: a Tink AEAD keyset, stored encrypted with the key-encryption
-- keyset from configuration (envelope encryption). Message bodies are encrypted with the app's
-- primary data key; older keys of the keyset keep decrypting after a rotation.
CREATE TABLE message_keys (
    app_id           VARCHAR(64) PRIMARY KEY,
    encrypted_keyset BYTEA NOT NULL,
    -- which key of the key-encryption keyset wrapped this row (Tink key ids are unsigned 32-bit)
    kek_key_id       BIGINT NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    rotated_at       TIMESTAMP WITH TIME ZONE
);
