-- One-use tickets a browser opens its WebSocket with (GET /v1/ws?ticket=...), exchanged for its token
-- a moment before: the query string carries no reusable credential. The token is kept encrypted with a
-- key that is part of the ticket only (never stored), so this table reveals nothing; a row is consumed
-- (deleted) by the handshake that presents its ticket, or removed once expired.
CREATE TABLE websocket_tickets (
    ticket_id  VARCHAR(32) PRIMARY KEY,
    sealed     BYTEA NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX websocket_tickets_by_expiry ON websocket_tickets (expires_at);
