-- Transactional outbox (platform): rows are written in the same transaction as the state change
-- they announce, and published to Kafka in id order by the outbox relay, then deleted.
CREATE TABLE outbox (
    id          BIGSERIAL PRIMARY KEY,
    topic       VARCHAR(249) NOT NULL,
    record_key  VARCHAR(512) NOT NULL,
    value_type  VARCHAR(255),
    value_bytes BYTEA,
    created_at  TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL
);
