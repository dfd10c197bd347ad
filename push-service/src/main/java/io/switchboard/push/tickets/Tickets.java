package io.switchboard.push.tickets;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Optional;

/**
 * One-use WebSocket tickets: a browser exchanges its token for a ticket valid {@link #LIFETIME}
 * and opens the socket with {@code ?ticket=}, so the URL (which proxies and access logs record)
 * carries nothing reusable. A ticket is {@code <id>.<key>}: the table keeps the token under the id,
 * encrypted (AES-256-GCM) with the key, which is never stored, so the table reveals nothing. The
 * handshake that presents it consumes the row in its transaction: a second use, on this gateway or
 * another, finds nothing. The token is verified again at the handshake, as if sent directly.
 */
@Service
public class Tickets {

    /** How long a ticket is valid: long enough to open a socket, too short to be worth stealing. */
    public static final Duration LIFETIME = Duration.ofSeconds(30);

    private static final int ID_BYTES = 16;
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final JdbcClient jdbc;

    Tickets(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** An issued ticket and until when it can be used. */
    public record Ticket(String ticket, Instant expiresAt) {
        /** Without the ticket: it opens a session. */
        @Override
        public String toString() {
            return "Ticket[expiresAt=" + expiresAt + "]";
        }
    }

    /** Issues a ticket for a verified token (and clears tickets that expired unused). */
    @Transactional
    public Ticket issue(String token) {
        Instant now = Instant.now();
        jdbc.sql("DELETE FROM websocket_tickets WHERE expires_at < ?").param(utc(now)).update();
        String id = ENCODER.encodeToString(random(ID_BYTES));
        byte[] key = random(KEY_BYTES);
        Instant expiresAt = now.plus(LIFETIME).truncatedTo(ChronoUnit.MILLIS);
        jdbc.sql("INSERT INTO websocket_tickets (ticket_id, sealed, expires_at) VALUES (?, ?, ?)")
                .params(id, seal(key, id, token.getBytes(StandardCharsets.UTF_8)), utc(expiresAt))
                .update();
        return new Ticket(id + "." + ENCODER.encodeToString(key), expiresAt);
    }

    /** The token a ticket was issued for, once: empty for a ticket unknown, used, expired or tampered with. */
    @Transactional
    public Optional<String> consume(String ticket) {
        int dot = ticket.indexOf('.');
        if (dot <= 0 || ticket.length() > 200) {
            return Optional.empty();
        }
        String id = ticket.substring(0, dot);
        byte[] key;
        try {
            key = Base64.getUrlDecoder().decode(ticket.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        Optional<Sealed> row = jdbc.sql("SELECT sealed, expires_at FROM websocket_tickets WHERE ticket_id = ? FOR UPDATE")
                .param(id)
                .query((rs, n) -> new Sealed(rs.getBytes(1), rs.getObject(2, OffsetDateTime.class).toInstant()))
                .optional();
        if (row.isEmpty() || key.length != KEY_BYTES) {
            return Optional.empty();
        }
        jdbc.sql("DELETE FROM websocket_tickets WHERE ticket_id = ?").param(id).update();
        if (!row.get().expiresAt().isAfter(Instant.now())) {
            return Optional.empty();
        }
        return open(key, id, row.get().sealed()).map(token -> new String(token, StandardCharsets.UTF_8));
    }

    private record Sealed(byte[] sealed, Instant expiresAt) {
    }

    /** nonce, then AES-256-GCM of the token, bound to the ticket id. */
    private static byte[] seal(byte[] key, String id, byte[] token) {
        try {
            byte[] nonce = random(NONCE_BYTES);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
            cipher.updateAAD(id.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(token);
            return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    private static Optional<byte[]> open(byte[] key, String id, byte[] sealed) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, sealed, 0, NONCE_BYTES));
            cipher.updateAAD(id.getBytes(StandardCharsets.UTF_8));
            return Optional.of(cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES));
        } catch (AEADBadTagException e) {
            return Optional.empty();   // not the key this ticket was issued with
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    private static byte[] random(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
